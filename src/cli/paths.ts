/**
 * Files of the installed package that the CLI finds from its own URL. This module sits two folders below the package
 * root (dist/cli/paths.js, or a chunk of the bundle in dist/bundle/ — scripts/bundle-cli.js keeps that depth), so
 * every path is said once, here, from the package root.
 */
const ROOT = new URL('../../', import.meta.url);

/** Where the build puts explain's examples (shipped in the package; scripts/gen-examples.js). */
export const EXAMPLES_FILE = new URL('dist/check-examples.json', ROOT);

/** The CLI's own entry point (webhook serve --workers forks it). */
export const CLI_BIN = new URL('bin/kspect.js', ROOT);

/** The package's manifest (its version). */
export const PACKAGE_JSON = new URL('package.json', ROOT);

/** The parse worker of `--jobs` (sources/parse-worker.ts), built beside the CLI bundle by scripts/bundle-cli.js. */
export const PARSE_WORKER = new URL('dist/bundle/parse-worker.js', ROOT);
