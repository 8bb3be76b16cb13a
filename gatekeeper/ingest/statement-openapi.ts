import { z } from '@hono/zod-openapi';
import {
  COMPONENT_LISTS,
  canonicalVersion,
  DURATION,
  INTERACTION_COMPONENTS,
  IRI,
  LANGUAGE_TAG,
  TIMESTAMP,
  UUID,
  VERSION,
  VOIDED,
} from './xapi-formats.js';

/**
 * The xAPI statement (1.0.3 / 2.0.0) as a zod schema, for the OpenAPI document only: strict where the
 * ingest relies on a value and passthrough elsewhere, so course-defined extensions and definitions
 * survive unchanged. The ingest itself checks statements with `statement-schema.ts`, which test/gatekeeper/
 * ingest-statement-schema.test.ts holds to the same rules, case by case; both take their formats from
 * `xapi-formats.ts`.
 */
const Iri = z.string().min(1).max(2048).regex(IRI, 'an IRI');
const LanguageTag = z.string().regex(LANGUAGE_TAG, 'an RFC 5646 language tag');
const LanguageMap = z.record(LanguageTag, z.string());
const Extensions = z.record(z.string().max(2048).regex(IRI, 'an IRI'), z.unknown());
const Uuid = z.string().regex(UUID, 'a UUID');
const Timestamp = z.string().regex(TIMESTAMP, 'an ISO 8601 timestamp');
const Duration = z.string().regex(DURATION, 'an ISO 8601 duration');
const InteractionComponents = z.array(
  z.object({ id: z.string(), description: LanguageMap.optional() }).strict(),
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
        interactionType: z.enum(Object.keys(INTERACTION_COMPONENTS) as [string, ...string[]]).optional(),
        correctResponsesPattern: z.array(z.string()).optional(),
        choices: InteractionComponents.optional(),
        scale: InteractionComponents.optional(),
        source: InteractionComponents.optional(),
        target: InteractionComponents.optional(),
        steps: InteractionComponents.optional(),
      })
      .passthrough()
      .refine(
        (d) => d.correctResponsesPattern === undefined || d.interactionType !== undefined,
        'correctResponsesPattern needs an interactionType',
      )
      .refine(
        (d) =>
          COMPONENT_LISTS.every(
            (k) => d[k] === undefined || (INTERACTION_COMPONENTS[d.interactionType ?? ''] ?? []).includes(k),
          ),
        'a component list of another interactionType',
      )
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

/** One Activity or an array (xAPI allows both), an array once parsed. */
const ContextActivityList = z.union([z.array(Activity), Activity.transform((a) => [a])]);

const ContextActivities = z
  .object({
    parent: ContextActivityList.optional(),
    grouping: ContextActivityList.optional(),
    category: ContextActivityList.optional(),
    other: ContextActivityList.optional(),
  })
  .strict();

const Context = z
  .object({
    registration: Uuid.optional(),
    revision: z.string().optional(),
    platform: z.string().optional(),
    language: LanguageTag.optional(),
    statement: StatementRef.optional(),
    contextActivities: ContextActivities.optional(),
    extensions: Extensions.optional(),
  })
  .strict();

/** Metadata of an attachment whose content lives at `fileUrl`: the ingest takes no attachment content. */
const Attachment = z
  .object({
    usageType: Iri,
    display: LanguageMap,
    description: LanguageMap.optional(),
    contentType: z.string(),
    length: z.number().int().min(0),
    sha2: z.string(),
    fileUrl: Iri,
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
    version: z.string().regex(VERSION).transform(canonicalVersion).optional(),
    attachments: z.array(Attachment).optional(),
  })
  .strict()
  .refine(
    (s) => s.verb.id !== VOIDED || s.object.objectType === 'StatementRef',
    'a voiding statement’s object is a StatementRef',
  )
  .refine(
    (s) =>
      s.object.objectType !== 'StatementRef' ||
      (s.context?.revision === undefined && s.context?.platform === undefined),
    'revision and platform only go with an Activity object',
  );

export const StatementBatchSchema = z.array(StatementSchema).min(1).max(1000);
