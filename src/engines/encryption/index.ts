/** The EncryptionConfiguration engine: parse, validate, find the provider of a resource, audit. */
export * from './config.js';
