import { z } from 'zod';

/**
 * The buy admission's settings, read by purchase (its own admission) and by the gateway (the
 * same rule for the buy mutation, in front of purchase): docs/decisions/0013.
 */
export const buyAdmissionConfig = {
  BUY_MAX_IN_FLIGHT: z.coerce.number().int().positive().default(32),
  BUY_MIN_IN_FLIGHT: z.coerce.number().int().positive().default(12),
  BUY_LATENCY_TARGET_MS: z.coerce.number().int().positive().default(500),
  BUY_MAX_WAIT_MS: z.coerce.number().int().nonnegative().default(100),
};

type BuyAdmissionConfig = { [K in keyof typeof buyAdmissionConfig]: number };

/** The settings of an Admission from that configuration. */
export function buyAdmissionSettings(config: BuyAdmissionConfig) {
  return {
    maxInFlight: config.BUY_MAX_IN_FLIGHT,
    minInFlight: Math.min(config.BUY_MIN_IN_FLIGHT, config.BUY_MAX_IN_FLIGHT),
    latencyTargetMs: config.BUY_LATENCY_TARGET_MS,
    maxWaitMs: config.BUY_MAX_WAIT_MS,
  };
}
