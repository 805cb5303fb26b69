/**
 * The one door to the X.509 library: @peculiar/x509 over node:crypto's WebCrypto.
 * tsyringe (used inside @peculiar/x509) needs the reflect-metadata polyfill loaded first.
 */
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export { x509 };
