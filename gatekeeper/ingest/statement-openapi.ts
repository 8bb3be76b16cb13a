import { z } from '@hono/zod-openapi';

/**
 * The xAPI statement (1.0.3 / 2.0.0) as a zod schema, for the OpenAPI document only: strict where the
 * ingest relies on a value and passthrough elsewhere, so course-defined extensions and definitions
 * survive unchanged. The ingest itself checks statements with `statement-schema.ts`, which test/gatekeeper/
 * ingest-statement-schema.test.ts holds to the same rules, case by case.
 */
const Iri = z
  .string()
  .min(1)
  .max(2048)
  .regex(/^[a-z][a-z0-9+.-]*:\S+$/i, 'an IRI');
const LanguageMap = z.record(z.string(), z.string());
const Extensions = z.record(z.string(), z.unknown());
const Uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'a UUID');
const Timestamp = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'an ISO 8601 timestamp');
const Duration = z
  .string()
  .regex(
    /^P(?!$)(\d+(\.\d+)?Y)?(\d+(\.\d+)?M)?(\d+(\.\d+)?W)?(\d+(\.\d+)?D)?(T(?=\d)(\d+(\.\d+)?H)?(\d+(\.\d+)?M)?(\d+(\.\d+)?S)?)?$/,
    'an ISO 8601 duration',
  );

export const AgentSchema = z
  .object({
    objectType: z.literal('Agent').optional(),
    account: z.object({ homePage: Iri, name: z.string().min(1).max(200) }).strict(),
  })
  .strict();

const Verb = z.object({ id: Iri, display: LanguageMap.optional() }).strict();

const Activity = z
  .object({
    objectType: z.literal('Activity').optional(),
    id: Iri,
    definition: z
      .object({
        name: LanguageMap.optional(),
        description: LanguageMap.optional(),
        type: Iri.optional(),
        moreInfo: Iri.optional(),
        extensions: Extensions.optional(),
      })
      .passthrough()
      .optional(),
  })
  .strict();

const StatementRef = z.object({ objectType: z.literal('StatementRef'), id: Uuid }).strict();

const Score = z
  .object({
    scaled: z.number().min(-1).max(1).optional(),
    raw: z.number().optional(),
    min: z.number().optional(),
    max: z.number().optional(),
  })
  .strict()
  .refine((s) => s.min === undefined || s.max === undefined || s.min <= s.max, 'score min above max')
  .refine(
    (s) =>
      s.raw === undefined ||
      ((s.min === undefined || s.raw >= s.min) && (s.max === undefined || s.raw <= s.max)),
    'raw score outside min..max',
  );

const Result = z
  .object({
    score: Score.optional(),
    success: z.boolean().optional(),
    completion: z.boolean().optional(),
    response: z.string().max(10_000).optional(),
    duration: Duration.optional(),
    extensions: Extensions.optional(),
  })
  .strict();

const ContextActivities = z
  .object({
    parent: z.array(Activity).optional(),
    grouping: z.array(Activity).optional(),
    category: z.array(Activity).optional(),
    other: z.array(Activity).optional(),
  })
  .strict();

const Context = z
  .object({
    registration: Uuid.optional(),
    revision: z.string().optional(),
    platform: z.string().optional(),
    language: z.string().optional(),
    statement: StatementRef.optional(),
    contextActivities: ContextActivities.optional(),
    extensions: Extensions.optional(),
  })
  .strict();

/** A statement as the ingest accepts it: about the anonymous actor, on an activity or statement. */
export const StatementSchema = z
  .object({
    id: Uuid.optional(),
    actor: AgentSchema,
    verb: Verb,
    object: z.union([Activity, StatementRef]),
    result: Result.optional(),
    context: Context.optional(),
    timestamp: Timestamp.optional(),
    version: z
      .string()
      .regex(/^(1\.0\.\d+|2\.0\.\d+)$/)
      .optional(),
  })
  .strict();

export const StatementBatchSchema = z.array(StatementSchema).min(1).max(1000);
