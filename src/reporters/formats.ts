/**
 * The names of the report formats, in the order help lists them. A module of its own so that option parsing knows
 * them without loading the writers (src/reporters/index.ts maps each name to its writer; the type makes it complete).
 */
export const FORMATS = ['table', 'json', 'sarif', 'junit', 'markdown', 'html', 'policyreport'] as const;

export type Format = (typeof FORMATS)[number];
