// The remediation webhook of the end-to-end stack: a small HTTP server in jest's parent process
// (global setup starts it, global teardown closes it) that the remediation service calls for
// every step it runs. It keeps each request as received, raw body and headers, so that a spec can
// check the signature over the exact bytes that were sent, not over a re-serialised copy.
import { createServer } from 'node:http';

// A step whose target (the incident's source, for steps that do not name a dependency) starts
// with this is answered 500, every time: a spec marks an incident as failing by its source name,
// known before the incident exists, so no spec races the first attempt to register it.
export const FAILING_TARGET_PREFIX = 'webhook-fails-';
export const HOOK_PATH = '/hooks/remediation';
export const RECORDED_PATH = '/recorded';
// A bound on memory, far above what a run of the tier sends.
const MAX_RECORDED = 20_000;

/** Starts the recorder on 127.0.0.1 (port 0: any free one). */
export async function startWebhookRecorder({ port = 0 } = {}) {
  const received = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://recorder');
      if (req.method === 'GET' && url.pathname === RECORDED_PATH) return answerRecorded(url, received, res);
      if (req.method !== 'POST' || url.pathname !== HOOK_PATH) {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'not_found', message: `${req.method} ${url.pathname}` }));
        return;
      }
      const body = Buffer.concat(chunks).toString('utf8');
      let parsed;
      try {
        parsed = JSON.parse(body);
      } catch {
        parsed = undefined;
      }
      const fails = typeof parsed?.target === 'string' && parsed.target.startsWith(FAILING_TARGET_PREFIX);
      const status = fails ? 500 : 204;
      if (received.length >= MAX_RECORDED) received.shift();
      received.push({ receivedAt: new Date().toISOString(), method: req.method, path: url.pathname, headers: req.headers, body, incidentId: parsed?.incidentId ?? null, answered: status });
      if (fails) res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'step_failed', message: 'this test webhook fails every step of a failing target' }));
      else res.writeHead(204).end();
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const { port: bound } = server.address();
  return {
    url: `http://127.0.0.1:${bound}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** GET /recorded?incidentId=<id>: what the hook received for one incident, oldest first. */
function answerRecorded(url, received, res) {
  const incidentId = url.searchParams.get('incidentId');
  const items = incidentId ? received.filter((r) => r.incidentId === incidentId) : received;
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ items }));
}
