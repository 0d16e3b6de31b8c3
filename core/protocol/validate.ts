// Validation of raw incoming messages: anything that is not a well-formed request for a known
// method becomes a typed error reply instead of an exception.
import { ErrorCode, RequestParams, type Method, type Request, type Response } from './messages';

export type Parsed = { ok: true; request: Request } | { ok: false; reply: Response };

function isMethod(m: unknown): m is Method {
  return typeof m === 'string' && Object.prototype.hasOwnProperty.call(RequestParams, m);
}

function fail(id: number | null, code: (typeof ErrorCode)[keyof typeof ErrorCode], message: string): Parsed {
  return { ok: false, reply: { id, ok: false, error: { code, message } } };
}

/** Parses a message that arrived as text (WebSocket) or as a structured value (IPC, direct calls). */
export function parseRequest(raw: unknown): Parsed {
  let msg: unknown = raw;
  if (typeof raw === 'string') {
    try {
      msg = JSON.parse(raw);
    } catch {
      return fail(null, ErrorCode.BadMessage, 'message is not valid JSON');
    }
  }
  if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) {
    return fail(null, ErrorCode.BadMessage, 'message must be an object');
  }
  const rec = msg as Record<string, unknown>;
  const id = typeof rec.id === 'number' && Number.isSafeInteger(rec.id) ? rec.id : null;
  if (id === null) return fail(null, ErrorCode.BadMessage, 'message needs an integer "id"');
  if (!isMethod(rec.method)) {
    return fail(
      id,
      ErrorCode.UnknownMethod,
      `unknown method ${JSON.stringify(String(rec.method)).slice(0, 80)}`,
    );
  }
  const schema = RequestParams[rec.method];
  const params = schema.safeParse(rec.params ?? {});
  if (!params.success) {
    const first = params.error.issues[0];
    const where = first && first.path.length > 0 ? ` at ${first.path.join('.')}` : '';
    return fail(id, ErrorCode.BadParams, `${rec.method}: ${first?.message ?? 'invalid params'}${where}`);
  }
  return { ok: true, request: { id, method: rec.method, params: params.data } as Request };
}
