/**
 * The one door to the X.509 library: @peculiar/x509 over node:crypto's WebCrypto, loaded on first use (see
 * ../lazy.ts). tsyringe (used inside @peculiar/x509) needs the reflect-metadata polyfill loaded first.
 * `X509` names its types; `x509` its values.
 */
import { webcrypto } from 'node:crypto';
import type * as X509 from '@peculiar/x509';
import { lazyModule } from '../lazy.js';

export type { X509 };

export const x509: typeof X509 = lazyModule<typeof X509>(
  '@peculiar/x509',
  (lib) => lib.cryptoProvider.set(webcrypto as unknown as Parameters<typeof lib.cryptoProvider.set>[0]),
  ['reflect-metadata'],
);
