// Runs inside fresh user, network and PID namespaces (`unshare --user --map-root-user --net --pid --fork --kill-child
// node netns-bridge.js CONFIG`) and starts one command there — kube-proxy, which needs CAP_NET_ADMIN over a network
// namespace to program its rules: here it gets that over its own namespace only, so nothing it writes touches the
// machine's network. This process is the namespace's PID 1: when it dies, the kernel kills the command too.
//
// The namespace has its own loopback, so this bridges TCP ports across it through Unix sockets in a folder both
// sides see: `into` listens on 127.0.0.1:PORT inside and forwards each connection to a Unix socket the test serves
// (the API server); `outOf` listens on a Unix socket and forwards to 127.0.0.1:PORT inside (kube-proxy's metrics and
// health ports), which the test exposes on loopback outside. Bytes are copied as they are.
//
// CONFIG is JSON: { "into": [{ "port": N, "socket": PATH }], "outOf": [{ "socket": PATH, "port": N }],
// "command": [BIN, ...ARGS] }. SIGTERM stops the command and then this process; when the command exits, so does this.
import { execFileSync, spawn } from 'node:child_process';
import { connect, createServer } from 'node:net';

const config = JSON.parse(process.argv[2] ?? '{}');

function pipe(a, b) {
  a.pipe(b);
  b.pipe(a);
  a.on('error', () => b.destroy());
  b.on('error', () => a.destroy());
  a.on('close', () => b.destroy());
  b.on('close', () => a.destroy());
}

// A new network namespace starts with its loopback down.
execFileSync('ip', ['link', 'set', 'lo', 'up']);

const listening = [];
for (const { port, socket } of config.into ?? []) {
  const s = createServer((c) => pipe(c, connect(socket)));
  listening.push(new Promise((r) => s.listen(port, '127.0.0.1', r)));
}
for (const { socket, port } of config.outOf ?? []) {
  const s = createServer((c) => pipe(c, connect({ host: '127.0.0.1', port })));
  listening.push(new Promise((r) => s.listen(socket, r)));
}
await Promise.all(listening);

const [bin, ...args] = config.command;
const child = spawn(bin, args, { stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 : 1)));
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => child.kill('SIGTERM'));
