/** The audit Policy engine: load and validate as kube-apiserver does, decide the level of a request, lint. */
export * from './policy.js';
export * from './load.js';
export * from './versions.js';
