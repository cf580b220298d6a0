import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type IngestUnderTest,
  READER_KEY,
  startIngest,
  WRITER_KEY,
} from '../testing/ingest-app';

// The real ingest (real PostgreSQL and broker under it) in front of a stand-in for the remediation
// service: a local HTTP server that records what reaches it. The real pair is proven end to end
// (apps/e2e, remediation specs); here, what the front door does to a request on the way.
const ADMIN_KEY = 'ik_test_admin_0123456789abcdefghij';
const INCIDENT = '0b7a3f9e-55d1-4c1e-9a51-2f6a8e1c7d42';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

async function standIn(
  answer: (seen: Seen) => { status: number; body: unknown; delayMs?: number },
) {
  const seen: Seen[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const request = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body,
      };
      seen.push(request);
      const a = answer(request);
      setTimeout(() => {
        if (res.destroyed) return;
        res
          .writeHead(a.status, {
            'content-type': 'application/json; charset=utf-8',
          })
          .end(JSON.stringify(a.body));
      }, a.delayMs ?? 0);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    seen,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

function call(
  ingest: IngestUnderTest,
  method: string,
  path: string,
  o: {
    key?: string | null;
    body?: string;
    headers?: Record<string, string>;
  } = {},
) {
  const headers: Record<string, string> = {
    ...(o.body !== undefined ? { 'content-type': 'application/json' } : {}),
    ...o.headers,
  };
  const key = o.key === undefined ? ADMIN_KEY : o.key;
  if (key) headers['authorization'] = `Bearer ${key}`;
  return fetch(`${ingest.url}${path}`, { method, headers, body: o.body });
}

describe('the remediation API at the front door', () => {
  let remediation: Awaited<ReturnType<typeof standIn>>;
  let ingest: IngestUnderTest;

  beforeAll(async () => {
    remediation = await standIn((r) =>
      r.url.includes('slow-dependency')
        ? { status: 200, body: {}, delayMs: 1_500 }
        : r.method === 'GET'
          ? {
              status: 404,
              body: {
                error: 'not_found',
                message: `no remediation was proposed for incident ${INCIDENT}`,
              },
            }
          : {
              status: 200,
              body: { stepId: 'throttle', events: ['StepApproved'] },
            },
    );
    ingest = await startIngest({
      env: {
        INCIDENT_ADMIN_KEY: ADMIN_KEY,
        REMEDIATION_URL: `${remediation.url}/`,
        REMEDIATION_TIMEOUT_MS: '500',
      },
    });
  });

  afterAll(async () => {
    await ingest?.close();
    await remediation?.close();
  });

  it("forwards a read with the caller's Authorization and request id, and answers with remediation's status and body", async () => {
    const res = await call(
      ingest,
      'GET',
      `/v1/incidents/${INCIDENT}/remediation`,
      { key: READER_KEY, headers: { 'x-request-id': 'req-remediation-0001' } },
    );
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({
      error: 'not_found',
      message: `no remediation was proposed for incident ${INCIDENT}`,
    });
    const forwarded = remediation.seen.at(-1);
    expect(forwarded).toMatchObject({
      method: 'GET',
      url: `/v1/incidents/${INCIDENT}/remediation`,
      body: '',
    });
    expect(forwarded?.headers).toMatchObject({
      authorization: `Bearer ${READER_KEY}`,
      'x-request-id': 'req-remediation-0001',
    });
  });

  it('forwards an approval with its JSON body, and a path segment stays one segment however it is spelled', async () => {
    const res = await call(
      ingest,
      'POST',
      `/v1/incidents/${INCIDENT}/remediation/steps/throttle/approve`,
      { body: JSON.stringify({ expectedVersion: 3 }) },
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      stepId: 'throttle',
      events: ['StepApproved'],
    });
    expect(remediation.seen.at(-1)).toMatchObject({
      method: 'POST',
      url: `/v1/incidents/${INCIDENT}/remediation/steps/throttle/approve`,
      body: '{"expectedVersion":3}',
    });
    expect(remediation.seen.at(-1)?.headers).toMatchObject({
      authorization: `Bearer ${ADMIN_KEY}`,
      'content-type': 'application/json',
    });

    await call(
      ingest,
      'POST',
      '/v1/circuit-breakers/..%2F..%2Fhealthz%3Fx=1/reset',
      { body: '{}' },
    );
    expect(remediation.seen.at(-1)?.url).toBe(
      '/v1/circuit-breakers/..%2F..%2Fhealthz%3Fx%3D1/reset',
    );
  });

  it('refuses a caller without the scope at the door, before remediation sees anything', async () => {
    const before = remediation.seen.length;
    expect(
      (
        await call(ingest, 'GET', '/v1/circuit-breakers/claude-api', {
          key: null,
        })
      ).status,
    ).toBe(401);
    expect(
      (
        await call(ingest, 'GET', '/v1/circuit-breakers/claude-api', {
          key: WRITER_KEY,
        })
      ).status,
    ).toBe(403);
    const res = await call(
      ingest,
      'POST',
      '/v1/circuit-breakers/claude-api/reset',
      { key: READER_KEY, body: '{}' },
    );
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({
      error: 'forbidden',
      message: 'API key "auditor" lacks the scope "incidents:write"',
    });
    expect(remediation.seen.length).toBe(before);
  });

  it("keeps the front door's body limit and JSON checks: nothing over 1 MiB or malformed is forwarded", async () => {
    const before = remediation.seen.length;
    const big = await call(
      ingest,
      'POST',
      '/v1/circuit-breakers/claude-api/reset',
      { body: JSON.stringify({ reason: 'x'.repeat(1_100_000) }) },
    );
    expect(big.status).toBe(413);
    const bad = await call(
      ingest,
      'POST',
      '/v1/circuit-breakers/claude-api/reset',
      { body: '{"reason":' },
    );
    expect(bad.status).toBe(400);
    expect(remediation.seen.length).toBe(before);
  });

  it('answers 504 naming remediation when it does not answer within REMEDIATION_TIMEOUT_MS', async () => {
    const started = Date.now();
    const res = await call(
      ingest,
      'GET',
      '/v1/circuit-breakers/slow-dependency',
    );
    expect(res.status).toBe(504);
    expect(await res.json()).toEqual({
      error: 'remediation_timeout',
      message: `the remediation service at ${remediation.url} did not answer within 500 ms`,
    });
    expect(Date.now() - started).toBeLessThan(1_400);
  });

  it('answers 502 naming remediation and the cause when nothing listens at REMEDIATION_URL', async () => {
    const gone = await standIn(() => ({ status: 200, body: {} }));
    await gone.close();
    const orphan = await startIngest({
      env: { INCIDENT_ADMIN_KEY: ADMIN_KEY, REMEDIATION_URL: gone.url },
    });
    try {
      const res = await call(
        orphan,
        'POST',
        `/v1/incidents/${INCIDENT}/remediation/steps/throttle/approve`,
        { body: '{}' },
      );
      expect(res.status).toBe(502);
      expect(await res.json()).toEqual({
        error: 'remediation_unavailable',
        message: `the remediation service at ${gone.url} could not be reached (ECONNREFUSED)`,
      });
    } finally {
      await orphan.close();
    }
  });
});
