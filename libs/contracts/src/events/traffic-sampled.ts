import type { z } from 'zod';
import { TrafficSampleSchema } from '../signals/signal';

export const TRAFFIC_SAMPLED = 'TrafficSampled';

/** A source's requests and errors over a window, appended to `source-<source>`. */
export const TrafficSampledV1Schema = TrafficSampleSchema;
export type TrafficSampledV1 = z.infer<typeof TrafficSampledV1Schema>;
