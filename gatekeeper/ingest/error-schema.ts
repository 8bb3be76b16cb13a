import { z } from 'zod';

const Iso = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'an ISO 8601 timestamp');

/** `ErrorReport` from protocol/telemetry.ts, bounded so one request cannot store much. */
export const ErrorReportSchema = z.object({
  id: z.string().min(1).max(64),
  fingerprint: z.string().regex(/^[0-9a-z]{1,32}$/i, 'a short hash'),
  kind: z.enum(['error', 'rejection', 'resource', 'runtime']),
  code: z.string().max(64).optional(),
  message: z.string().max(5000),
  stack: z.string().max(20_000).optional(),
  count: z.number().int().min(1).max(1_000_000),
  firstAt: Iso,
  lastAt: Iso,
  course: z.string().max(200),
  deployment: z.string().max(200).optional(),
  page: z.string().max(2048).optional(),
  breadcrumbs: z.array(z.unknown()).max(50).optional(),
});

export const ErrorBatchSchema = z.object({ errors: z.array(ErrorReportSchema).min(1).max(200) });

export type IngestErrorReport = z.infer<typeof ErrorReportSchema>;
