import { z } from 'zod';
import { atlasText } from './wire-fields.js';

/** An ISO-8601 date-time as Atlas sends it (`2026-08-02T17:06:56Z`, offsets and fractions accepted); length checked first. */
export const dateTimeSchema = atlasText('dateTime').pipe(z.iso.datetime({ offset: true }));
