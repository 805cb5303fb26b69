/**
 * Probing a TLS endpoint: the served chain, each protocol version tried on its own (TLS 1.0 to 1.3),
 * the cipher suites accepted, and whether the server asks for a client certificate.
 * Read-only: every connection is closed right after the handshake, nothing is sent.
 */
import { connect as netConnect, isIP } from 'node:net';
import { Duplex } from 'node:stream';
import { connect as tlsConnect, type PeerCertificate, type DetailedPeerCertificate } from 'node:tls';
import { TLS_VERSIONS, type EndpointProbe, type TlsVersion } from '../engines/x509/material.js';

export interface ProbeOptions {
  /** Per-connection timeout (default 5000 ms). */
  readonly timeoutMs?: number;
  /** Enumerate accepted cipher suites (default true). */
  readonly ciphers?: boolean;
  /** SNI server name (default: HOST when it is a name). */
  readonly servername?: string;
  /** Wall-clock time (ms since the epoch) after which no further handshake is tried; what is left is not tested. */
  readonly deadline?: number;
}

/** Every suite OpenSSL knows, at security level 0 so that old and weak ones are offered too. */
const ALL_TLS12 = 'ALL:COMPLEMENTOFALL:@SECLEVEL=0';
const TLS13_SUITES = ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256', 'TLS_AES_128_CCM_SHA256', 'TLS_AES_128_CCM_8_SHA256'];

interface Attempt {
  readonly ok: boolean;
  readonly cipher?: string;
  readonly version?: string;
  readonly chain?: Uint8Array[];
  readonly certRequested?: boolean;
  readonly error?: string;
  /** The TCP connection itself failed (refused, timeout): the endpoint is unreachable. */
  readonly unreachable?: boolean;
}

/** Watches the server's plaintext handshake (TLS ≤ 1.2) for a CertificateRequest message. */
class HandshakeSniffer {
  private buf = Buffer.alloc(0);
  private hs = Buffer.alloc(0);
  private done = false;
  certRequested = false;
  sawServerHelloDone = false;

  feed(chunk: Buffer): void {
    if (this.done) return;
    this.buf = Buffer.concat([this.buf, chunk]);
    while (this.buf.length >= 5) {
      const type = this.buf[0];
      const len = this.buf.readUInt16BE(3);
      if (this.buf.length < 5 + len) return;
      const body = this.buf.subarray(5, 5 + len);
      this.buf = this.buf.subarray(5 + len);
      if (type === 20 || type === 21) {
        this.done = true; // ChangeCipherSpec or alert: the rest is encrypted or over
        return;
      }
      if (type !== 22) continue;
      this.hs = Buffer.concat([this.hs, body]);
      while (this.hs.length >= 4) {
        const mtype = this.hs[0];
        const mlen = ((this.hs[1] ?? 0) << 16) | ((this.hs[2] ?? 0) << 8) | (this.hs[3] ?? 0);
        if (this.hs.length < 4 + mlen) break;
        this.hs = this.hs.subarray(4 + mlen);
        if (mtype === 13) this.certRequested = true;
        if (mtype === 14) {
          this.sawServerHelloDone = true;
          this.done = true;
          return;
        }
      }
    }
  }
}

function chainOf(cert: DetailedPeerCertificate | PeerCertificate): Uint8Array[] {
  const out: Uint8Array[] = [];
  const seen = new Set<string>();
  let c = cert as DetailedPeerCertificate | undefined;
  while (c !== undefined && Object.keys(c).length > 0 && c.raw.length > 0) {
    if (seen.has(c.fingerprint256)) break;
    seen.add(c.fingerprint256);
    out.push(new Uint8Array(c.raw));
    c = c.issuerCertificate;
  }
  return out;
}

function attempt(host: string, port: number, version: TlsVersion, ciphers: string, options: ProbeOptions, wantChain: boolean): Promise<Attempt> {
  return new Promise((resolve) => {
    const timeout = options.timeoutMs ?? 5000;
    const sniffer = new HandshakeSniffer();
    let settled = false;
    const raw = netConnect({ host, port });
    const tap = new Duplex({
      read() {
        raw.resume();
      },
      write(chunk: Buffer, _enc, cb) {
        raw.write(chunk, cb);
      },
      final(cb) {
        raw.end();
        cb();
      },
      destroy(err, cb) {
        raw.destroy();
        cb(err);
      },
    });
    raw.on('data', (d: Buffer) => {
      sniffer.feed(d);
      if (!tap.push(d)) raw.pause();
    });
    raw.on('end', () => tap.push(null));
    let connected = false;
    raw.on('connect', () => (connected = true));
    raw.on('error', (e) => { finish({ ok: false, error: e.message, unreachable: !connected }); });
    const servername = options.servername ?? (isIP(host) === 0 ? host : undefined);
    const sock = tlsConnect({
      socket: tap,
      ...(servername !== undefined ? { servername } : {}),
      rejectUnauthorized: false,
      minVersion: version,
      maxVersion: version,
      ...(version === 'TLSv1.3' ? { ciphers: `${ciphers}:${ALL_TLS12}` } : { ciphers }),
    });
    const timer = setTimeout(() => { finish({ ok: false, error: `timed out after ${timeout} ms`, unreachable: !connected }); }, timeout);
    function finish(a: Attempt): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      sock.destroy();
      raw.destroy();
      resolve(a);
    }
    sock.on('secureConnect', () => {
      const c = sock.getCipher();
      finish({
        ok: true,
        cipher: c.name,
        version: sock.getProtocol() ?? version,
        ...(wantChain ? { chain: chainOf(sock.getPeerCertificate(true)) } : {}),
        ...(version !== 'TLSv1.3' && sniffer.sawServerHelloDone ? { certRequested: sniffer.certRequested } : {}),
      });
    });
    sock.on('error', (e: Error) => {
      // A server that requires a client certificate (etcd) negotiates the version and suite, sends its chain,
      // asks for our certificate and then refuses the handshake: the version and suite were accepted.
      if (sniffer.sawServerHelloDone && sniffer.certRequested) {
        const c = sock.getCipher();
        finish({ ok: true, cipher: c.name, version: sock.getProtocol() ?? version, ...(wantChain ? { chain: chainOf(sock.getPeerCertificate(true)) } : {}), certRequested: true });
        return;
      } finish({ ok: false, error: e.message.split('\n')[0] ?? e.message }); });
  });
}

/** Probe one endpoint. Never throws: failures are in the result. */
export async function probeEndpoint(host: string, port: number, options: ProbeOptions = {}): Promise<EndpointProbe> {
  const protocols = {} as Record<TlsVersion, { accepted: boolean; detail?: string }>;
  const ciphers: { version: TlsVersion; name: string }[] = [];
  let chain: Uint8Array[] = [];
  let clientCertRequested: boolean | undefined;
  let unreachable: string | undefined;
  const late = (): boolean => options.deadline !== undefined && Date.now() > options.deadline;
  // Newest first, so the served chain is the one a modern client sees.
  for (const v of [...TLS_VERSIONS].reverse()) {
    if (late()) {
      protocols[v] = { accepted: false, detail: 'not tested: time budget used up' };
      continue;
    }
    const a = await attempt(host, port, v, v === 'TLSv1.3' ? TLS13_SUITES.join(':') : ALL_TLS12, options, chain.length === 0);
    if (a.unreachable) {
      unreachable = a.error;
      for (const w of TLS_VERSIONS) protocols[w] = { accepted: false, detail: 'not reachable' };
      break;
    }
    protocols[v] = a.ok ? { accepted: true } : { accepted: false, ...(a.error !== undefined ? { detail: a.error } : {}) };
    if (!a.ok) continue;
    if (a.chain && a.chain.length > 0 && chain.length === 0) chain = a.chain;
    if (a.certRequested !== undefined) clientCertRequested ??= a.certRequested;
    if (options.ciphers === false || a.cipher === undefined) continue;
    ciphers.push({ version: v, name: a.cipher });
    if (v === 'TLSv1.3') {
      for (const s of TLS13_SUITES) {
        if (s === a.cipher || late()) continue;
        const b = await attempt(host, port, v, s, options, false);
        if (b.ok && b.cipher !== undefined) ciphers.push({ version: v, name: b.cipher });
      }
      continue;
    }
    // Enumerate: offer everything, remove what the server chose, until it refuses.
    const excluded = [a.cipher];
    for (let i = 0; i < 200 && !late(); i++) {
      const b = await attempt(host, port, v, `${ALL_TLS12}:${excluded.map((c) => `!${c}`).join(':')}`, options, false);
      if (!b.ok || b.cipher === undefined || excluded.includes(b.cipher)) break;
      excluded.push(b.cipher);
      ciphers.push({ version: v, name: b.cipher });
    }
  }
  return {
    host,
    port,
    protocols,
    ciphers,
    ...(clientCertRequested !== undefined ? { clientCertRequested } : {}),
    chain,
    ...(unreachable !== undefined ? { error: `cannot connect to ${host}:${port}: ${unreachable}` } : !Object.values(protocols).some((p) => p.accepted) ? { error: `${host}:${port} completed no TLS handshake (${protocols['TLSv1.2'].detail ?? 'refused'})` } : {}),
  };
}
