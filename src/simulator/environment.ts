import { z } from 'zod';

// The standalone simulator's variables (`npm run simulator`), validated like the service's own
// (the simulator imports nothing from the rest of src/, so it keeps its own small schema).

const flag = z
  .enum(['true', 'false', '1', '0'], { error: 'must be true or false' })
  .default('false')
  .transform((value) => value === 'true' || value === '1');

/** The SIM_* environment variables of `npm run simulator`. */
export const simulatorEnvironmentSchema = z.object({
  SIM_PORT: z.coerce
    .number()
    .int()
    .min(0)
    .max(65535)
    .default(8080)
    .describe('Port to listen on (`0` picks a free one).'),
  SIM_HOST: z.string().min(1).default('127.0.0.1').describe('Interface to listen on.'),
  SIM_PUBLIC_KEY: z
    .string()
    .min(1)
    .optional()
    .describe(
      'With `SIM_PRIVATE_KEY`: the API key pair the simulator requires (HTTP Digest); unset, no authentication.',
    ),
  SIM_PRIVATE_KEY: z.string().min(1).optional().describe('The private half of that key pair.'),
  SIM_CONTROL_API: flag.describe(
    'Serve `/__simulator/stats`, `/__simulator/reset` and `/__simulator/latency?ms=N`, for a simulator in another process (the benchmark).',
  ),
  SIM_SERVERLESS_SUNSET: flag.describe(
    'Answer the legacy serverless backup operations as retired (410 `VERSION_GONE`).',
  ),
  SIM_BENCH_DATA: flag.describe("Seed the benchmark's serverless instance of 5,000 snapshots (`bench-serverless`)."),
});

/** Reads the SIM_* variables; a problem ends the process with every bad variable named. */
export function loadSimulatorEnvironment(env: NodeJS.ProcessEnv): z.output<typeof simulatorEnvironmentSchema> {
  const parsed = simulatorEnvironmentSchema.safeParse(env);
  if (parsed.success) {
    if ((parsed.data.SIM_PUBLIC_KEY === undefined) === (parsed.data.SIM_PRIVATE_KEY === undefined)) return parsed.data;
    throw new Error('invalid simulator configuration: set both SIM_PUBLIC_KEY and SIM_PRIVATE_KEY, or neither');
  }
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
  throw new Error(`invalid simulator configuration: ${problems.join('; ')}`);
}
