import { bodyErrorAnswer } from './body-errors';

describe("answers to request bodies the parsers refused, in the API's error shape", () => {
  it('names the byte limit and the size of a body that is too large (413)', () => {
    expect(bodyErrorAnswer({ type: 'entity.too.large', limit: 1_048_576, length: 2_000_000 })).toEqual({
      status: 413,
      body: { error: 'payload_too_large', message: 'the request body (2000000 bytes) is over the 1048576-byte limit' },
    });
  });

  it("says a body is not JSON and quotes the parser's reason (400)", () => {
    expect(bodyErrorAnswer({ type: 'entity.parse.failed', message: 'Unexpected end of JSON input' })).toEqual({
      status: 400,
      body: { error: 'bad_request', message: 'the request body is not valid JSON: Unexpected end of JSON input' },
    });
  });

  it('refuses an unsupported charset or content encoding with 415, naming it', () => {
    expect(bodyErrorAnswer({ type: 'charset.unsupported', charset: 'latin-9' })?.body.message).toContain('"latin-9"');
    expect(bodyErrorAnswer({ type: 'encoding.unsupported', encoding: 'br' })).toMatchObject({ status: 415, body: { error: 'unsupported_media_type' } });
  });

  it('leaves every other error to Nest', () => {
    expect(bodyErrorAnswer(new Error('boom'))).toBeUndefined();
    expect(bodyErrorAnswer({ type: 'something.else' })).toBeUndefined();
    expect(bodyErrorAnswer(undefined)).toBeUndefined();
  });
});
