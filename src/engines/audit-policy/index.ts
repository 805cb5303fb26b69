/** The audit Policy engine: parse, validate, decide the level of a request, audit. */
export * from './policy.js';
