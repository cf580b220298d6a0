import { createHmac } from 'node:crypto';
import { sign, verifySignature } from './signature';

describe('webhook signatures', () => {
  const body = JSON.stringify({ type: 'remediation.step', stepId: 'throttle' });

  it('signs the exact body with HMAC-SHA256 of the shared secret, as sha256=<hex>', () => {
    expect(sign(body, 'top-secret-top-secret')).toBe(`sha256=${createHmac('sha256', 'top-secret-top-secret').update(body).digest('hex')}`);
  });

  it('verifies only the same body under the same secret', () => {
    const header = sign(body, 'top-secret-top-secret');
    expect(verifySignature(body, 'top-secret-top-secret', header)).toBe(true);
    expect(verifySignature(`${body} `, 'top-secret-top-secret', header)).toBe(false);
    expect(verifySignature(body, 'another-secret-value', header)).toBe(false);
    expect(verifySignature(body, 'top-secret-top-secret', undefined)).toBe(false);
    expect(verifySignature(body, 'top-secret-top-secret', 'sha256=00')).toBe(false);
  });
});
