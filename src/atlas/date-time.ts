import { z } from 'zod';

/** An ISO-8601 date-time as Atlas sends it (`2026-08-02T17:06:56Z`, offsets and fractions accepted). */
export const dateTimeSchema = z.iso.datetime({ offset: true });
