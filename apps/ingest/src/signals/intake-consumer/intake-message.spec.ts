import { intakeContext } from './intake-handler';
import { IntakeMessageSchema, intakeMessageToSignal } from './intake-message';

describe('intake message', () => {
  it('is a JSON signal', () => {
    expect(intakeMessageToSignal({ source: 'api', message: 'boom' })).toEqual({
      ok: true,
      value: { source: 'api', message: 'boom' },
    });
  });

  it('or a structured CloudEvent whose data is a signal', () => {
    const parsed = intakeMessageToSignal({
      specversion: '1.0',
      id: 'evt-1',
      source: 'billing',
      type: 'com.example.failure',
      time: '2026-01-01T00:00:00Z',
      data: { message: 'card processor down', level: 'FATAL' },
    });
    expect(parsed).toEqual({
      ok: true,
      value: {
        id: 'cloudevent:billing:evt-1',
        source: 'billing',
        timestamp: '2026-01-01T00:00:00Z',
        message: 'card processor down',
        level: 'FATAL',
      },
    });
  });

  it('is refused with the field that is wrong, which becomes the dead letter reason', () => {
    const result = IntakeMessageSchema.safeParse({ source: 'api' });
    expect(result.success).toBe(false);
    expect(
      result.error?.issues.map((i) => [i.path.join('.'), i.message]),
    ).toEqual([['message', expect.any(String)]]);
  });

  it('carries one signal, not an array', () => {
    expect(intakeMessageToSignal([{ source: 'api', message: 'boom' }]).ok).toBe(
      false,
    );
  });

  it("records the channel as actor and the message's place or correlation-id header as correlation id", () => {
    const where = { topic: 'intake', partition: 2, offset: '17' };
    expect(
      intakeContext({ ...where, headers: {} }, new Date(0)).correlationId,
    ).toBe('intake/2/17');
    expect(
      intakeContext(
        { ...where, headers: { 'correlation-id': 'order-9' } },
        new Date(0),
      ),
    ).toMatchObject({ actor: 'kafka-intake', correlationId: 'order-9' });
  });
});
