// A small client for the platform's public API, for `npm run demo`. Plain ESM on Node's fetch.

export class DemoError extends Error {}

export function client(base, key) {
  async function request(method, path, { json, text, accept } = {}) {
    const headers = { authorization: `Bearer ${key}` };
    if (json !== undefined) headers['content-type'] = 'application/json';
    if (text !== undefined) headers['content-type'] = 'text/plain';
    if (accept) headers['accept'] = accept;
    let res;
    try {
      res = await fetch(`${base}${path}`, { method, headers, body: json !== undefined ? JSON.stringify(json) : text });
    } catch (error) {
      throw new DemoError(`${method} ${base}${path} failed (${error.cause?.code ?? error.message}): is the platform running? Start it with \`npm start\`.`);
    }
    const body = res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text();
    return { status: res.status, body };
  }

  async function expectStatus(method, path, statuses, opts) {
    const res = await request(method, path, opts);
    if (!statuses.includes(res.status)) throw new DemoError(`${method} ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  }

  return {
    request,
    /** Checks the stack answers and takes the key, with a message that says what to do when not. */
    async preflight() {
      try {
        await fetch(`${base}/readyz`);
      } catch (error) {
        throw new DemoError(`nothing answers at ${base} (${error.cause?.code ?? error.message}).\nStart the platform with \`npm start\` in another terminal, or point INCIDENT_BASE_URL at it.`);
      }
      const res = await request('GET', '/v1/incidents?limit=1');
      if (res.status === 401 || res.status === 403) {
        throw new DemoError(`${base} refused INCIDENT_ADMIN_KEY (${res.status}): export the admin key \`npm start\` printed.`);
      }
      if (res.status !== 200) throw new DemoError(`GET /v1/incidents answered ${res.status}: ${JSON.stringify(res.body)}`);
    },
    signals: (signals) => expectStatus('POST', '/v1/signals', [202], { json: signals }),
    logs: (source, text) => expectStatus('POST', `/v1/signals/logs?source=${encodeURIComponent(source)}`, [202], { text }),
    traffic: (samples) => expectStatus('POST', '/v1/traffic', [202], { json: samples }),
    incidents: (query) => expectStatus('GET', `/v1/incidents?${new URLSearchParams(query)}`, [200]),
    incident: (id) => expectStatus('GET', `/v1/incidents/${id}`, [200]),
    timeline: (id) => expectStatus('GET', `/v1/incidents/${id}/timeline`, [200]),
    statusUpdate: (id) => expectStatus('GET', `/v1/incidents/${id}/status-update`, [200]),
    postmortem: (id, accept) => request('GET', `/v1/incidents/${id}/postmortem`, { accept }),
    /**
     * A responder command at the incident's current version. Correlation and remediation keep
     * appending to an open incident, so a stale version is read again and the command re-sent,
     * as a responder's client should.
     */
    async command(id, path, body) {
      for (let attempt = 1; ; attempt++) {
        const { version } = await expectStatus('GET', `/v1/incidents/${id}`, [200]);
        const res = await request('POST', `/v1/incidents/${id}/${path}`, { json: { ...body, expectedVersion: version } });
        if (res.status === 409 && res.body.error === 'stale_version' && attempt < 20) continue;
        if (res.status !== 200 && res.status !== 201) throw new DemoError(`POST /v1/incidents/${id}/${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
        return res.body;
      }
    },
  };
}

export async function eventually(what, probe, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new DemoError(`timed out after ${timeoutMs / 1000} s waiting for ${what}: are all services up (npm start)?`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
