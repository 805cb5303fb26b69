/**
 * Headless Chromium for the HTML report tests: Debian's `chromium` (scripts/test-deps.sh installs it) driven by
 * playwright-core, never a downloaded browser. Playwright gives every launch a fresh, temporary --user-data-dir; the
 * flags below keep the browser from talking to anything but the page (no background networking, component updates,
 * sync or QUIC). A loopback HTTP server serves reports with the headers a test asks for (Jenkins' CSP) and counts
 * every request it receives.
 */
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.KSPECT_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Jenkins' default Content-Security-Policy for archived artifacts (hudson.model.DirectoryBrowserSupport.CSP). */
export const JENKINS_CSP = "sandbox; default-src 'none'; img-src 'self'; style-src 'self';";

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

export interface PageServer {
  readonly url: (path: string) => string;
  /** Paths requested so far. */
  readonly requests: string[];
  close(): Promise<void>;
}

/** Serve `pages` (path → HTML) on 127.0.0.1 with extra headers per path; everything else is a 404 (and counted). */
export async function servePages(pages: Readonly<Record<string, { body: string; headers?: Readonly<Record<string, string>> }>>): Promise<PageServer> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    requests.push(path);
    const page = pages[path];
    if (!page) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...(page.headers ?? {}) });
    res.end(page.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (p) => {
      return `http://127.0.0.1:${port}${p}`;
    },
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
