/**
 * Libraries that only some runs need (X.509, sigstore, the `yaml` package, dagre), loaded on first use instead of at
 * start-up: a manifest scan that meets no certificate and no signature never pays for them (about half a second of
 * `kspect scan`'s start), a cluster scan reads its kubeconfig without the `yaml` package.
 * The packages are CommonJS — what an ESM import of them resolves to as well — so loading them with `require` gives
 * the same module instances as a static import would.
 */
import { createRequire } from 'node:module';

const load = createRequire(import.meta.url);

/**
 * The module `specifier`, required the first time one of its members is read: after the modules of `first` (a
 * polyfill it needs), and with `init` run on it.
 */
export function lazyModule<T extends object>(specifier: string, init?: (m: T) => void, first: readonly string[] = []): T {
  let m: T | undefined;
  const get = (): T => {
    if (m === undefined) {
      for (const f of first) load(f);
      const loaded = load(specifier) as T;
      init?.(loaded);
      m = loaded;
    }
    return m;
  };
  return new Proxy({} as T, {
    get: (_t, key) => Reflect.get(get(), key) as unknown,
    has: (_t, key) => key in get(),
  });
}
