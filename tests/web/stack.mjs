// The real thing the browser tests talk to: a sociod on a kernel-picked
// loopback port over a fresh data directory, demo data loaded with the socio
// CLI (generated members, the demo's Munich delegates and their mission to
// Mexico), and a socio-gateway serving the console from clients/web.

import assert from 'node:assert/strict';
import { execFile, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const STARTUP_MS = 20000;

// Starts `command` and resolves with the first match of `pattern` in its
// stderr (or stdout); rejects if it exits or stays silent too long.
function startServer(command, args, pattern, log) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let done = false;
    const timer = setTimeout(() => finish(new Error(`${path.basename(command)} did not start in ${STARTUP_MS} ms:\n${output}`)), STARTUP_MS);
    function finish(error, match) {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (error) {
        child.kill('SIGKILL');
        reject(error);
      } else resolve({ child, match });
    }
    const onData = (chunk) => {
      const text = chunk.toString();
      output += text;
      log.push(text);
      const m = pattern.exec(output);
      if (m) finish(null, m);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', (e) => finish(e));
    child.on('exit', (code, signal) => finish(new Error(`${path.basename(command)} exited (${code ?? signal}) before serving:\n${output}`)));
  });
}

function run(command, args, { input } = {}) {
  return new Promise((resolve, reject) => {
    const child = execFile(command, args, { maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${path.basename(command)} ${args.join(' ')} failed: ${error.message}\n${stderr}`));
      else resolve(stdout);
    });
    if (input !== undefined) child.stdin.end(input);
  });
}

async function stop(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

// A stack's directory (a new one named `prefix`...), its servers' output and
// its child processes, which stack.stop() ends (newest first) before it
// removes the directory; none outlives this process, whatever happens to it.
function newStack(prefix) {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  const log = [];
  const children = [];
  const stack = {
    dir,
    log,
    async stop() {
      for (const child of children.reverse()) await stop(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  process.once('exit', () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  });
  return { stack, dir, log, children };
}

// start({buildDir, sourceDir, webDir}) -> {url, server, tokens: {staff, member, admin}, dir, stop()}
// webDir: the console the gateway serves; default sourceDir/clients/web.
// sociodArgs: more of sociod's options (an operator's files, say).
export async function startStack({ buildDir, sourceDir, webDir, members = 500, sociodArgs = [] }) {
  const { stack, dir, log, children } = newStack('socio-web-');
  const bin = {
    sociod: path.join(buildDir, 'services/sociod'),
    gateway: path.join(buildDir, 'gateway/socio-gateway'),
    socio: path.join(buildDir, 'clients/socio'),
    gen: path.join(buildDir, 'bench/socio-gen'),
  };
  try {
    const data = path.join(dir, 'socio-data');
    const sociod = await startServer(
      bin.sociod,
      ['--data_dir', data, '--listen', '127.0.0.1:0', '--log_level', 'warning', ...sociodArgs],
      /sociod: serving on (\S+),/,
      log,
    );
    children.push(sociod.child);
    stack.server = sociod.match[1];
    const cli = (...args) => run(bin.socio, ['--server', stack.server, '--token_file', path.join(data, 'admin.token'), ...args]);

    const generated = path.join(dir, 'members.jsonl');
    writeFileSync(generated, await run(bin.gen, ['--count', String(members), '--seed', '7']));
    await cli('profiles', 'import', generated);
    await cli('profiles', 'import', path.join(sourceDir, 'tests/web/fixtures/delegates.jsonl'));
    await cli('delegation', 'create', path.join(sourceDir, 'tests/web/fixtures/mission.json'));
    stack.tokens = {
      staff: (await cli('admin', 'token', 'issue', '--role', 'staff', '--chamber', 'ihk-muenchen', '--label', 'web console test')).trim(),
      member: (await cli('admin', 'token', 'issue', '--role', 'member', '--profile', 'de-9101', '--label', 'web console test')).trim(),
      admin: readFileSync(path.join(data, 'admin.token'), 'utf8').split('\n')[0].trim(),
    };

    const gateway = await startServer(
      bin.gateway,
      ['--server', stack.server, '--listen', '127.0.0.1:0', '--web_dir', webDir || path.join(sourceDir, 'clients/web')],
      /socio-gateway: serving on (http:\/\/\S+)/,
      log,
    );
    children.push(gateway.child);
    stack.url = gateway.match[1].replace(/\/$/, '');
    return stack;
  } catch (e) {
    await stack.stop();
    throw e;
  }
}

// A new token from the stack's operator token, through the CLI
// (`socio admin token issue ARGS...`), labelled `label`.
export function issueToken(stack, buildDir, label, ...args) {
  return execFileSync(
    path.join(buildDir, 'clients/socio'),
    ['--server', stack.server, '--token_file', stack.adminTokenFile || path.join(stack.dir, 'socio-data/admin.token'), 'admin', 'token', 'issue', ...args, '--label', label],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  ).trim();
}

// A call to the stack's gateway with `token` and a JSON `body`; its JSON
// answer, or an assertion failure naming the call and the HTTP status.
export async function callApi(stack, method, apiPath, token, body) {
  const response = await fetch(`${stack.url}/api/v1${apiPath}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  assert.ok(response.ok, `${method} ${apiPath}: HTTP ${response.status} ${text}`);
  return JSON.parse(text);
}

// A port no one listens on now (the kernel's pick, closed again), for a
// server that must be told its port (etcd).
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// An HTTP front that sends each request to the next of `targets` in turn, as
// a load balancer in front of several gateways does.
function roundRobin(targets) {
  let next = 0;
  const server = createServer((incoming, outgoing) => {
    const target = new URL(targets[next++ % targets.length]);
    const forward = httpRequest(
      { host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: incoming.headers },
      (answer) => {
        outgoing.writeHead(answer.statusCode, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forward.on('error', () => {
      outgoing.writeHead(502);
      outgoing.end();
    });
    incoming.pipe(forward);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

export const ETCD = '/usr/bin/etcd';

// startClusterStack({buildDir, sourceDir}) -> {url, servers, tokens: {admin}, dir, stop()}
// One etcd member, two sociod nodes on it (sociod --store etcd), a
// socio-gateway in front of each, and a round-robin front before both
// gateways at `url`, so that one page's calls are served by both nodes.
export async function startClusterStack({ buildDir, sourceDir }) {
  const { stack, dir, log, children } = newStack('socio-web-cluster-');
  let front;
  stack.servers = [];
  const stopChildren = stack.stop;
  stack.stop = async () => {
    front?.close();
    await stopChildren();
  };
  try {
    const [client, peer] = [await freePort(), await freePort()];
    const etcd = await startServer(
      ETCD,
      [
        '--name', 'web', '--data-dir', path.join(dir, 'etcd'),
        '--listen-client-urls', `http://127.0.0.1:${client}`, '--advertise-client-urls', `http://127.0.0.1:${client}`,
        '--listen-peer-urls', `http://127.0.0.1:${peer}`, '--initial-advertise-peer-urls', `http://127.0.0.1:${peer}`,
        '--initial-cluster', `web=http://127.0.0.1:${peer}`,
      ],
      /ready to serve client requests/,
      log,
    );
    children.push(etcd.child);
    const gateways = [];
    for (const name of ['node1', 'node2']) {
      // One after the other: the first issues the operator token.
      const node = await startServer(
        path.join(buildDir, 'services/sociod'),
        ['--store', 'etcd', '--etcd_endpoints', `127.0.0.1:${client}`, '--data_dir', path.join(dir, name),
         '--listen', '127.0.0.1:0', '--log_level', 'warning', '--dictionary_dir', ''],
        /sociod: serving on (\S+),/,
        log,
      );
      children.push(node.child);
      stack.servers.push(node.match[1]);
      const gateway = await startServer(
        path.join(buildDir, 'gateway/socio-gateway'),
        ['--server', node.match[1], '--listen', '127.0.0.1:0', '--web_dir', path.join(sourceDir, 'clients/web')],
        /socio-gateway: serving on (http:\/\/\S+)/,
        log,
      );
      children.push(gateway.child);
      gateways.push(gateway.match[1].replace(/\/$/, ''));
    }
    stack.adminTokenFile = path.join(dir, 'node1', 'admin.token');
    stack.tokens = { admin: readFileSync(stack.adminTokenFile, 'utf8').split('\n')[0].trim() };
    front = await roundRobin(gateways);
    stack.url = `http://127.0.0.1:${front.address().port}`;
    stack.server = stack.servers[0];
    return stack;
  } catch (e) {
    await stack.stop();
    throw e;
  }
}
