/** The few xAPI calls a cmi5 AU makes, authorised with the token from the fetch URL (§8.2.1). */

export interface LrsResponse {
  /** HTTP status; 0 when the request never got an answer. */
  status: number;
  body?: unknown;
}

export interface Lrs {
  /** `keepalive` lets the request outlive the page during `pagehide`. */
  call(
    method: 'GET' | 'POST' | 'PUT',
    resource: string,
    query: Record<string, string>,
    body?: unknown,
    keepalive?: boolean,
  ): Promise<LrsResponse>;
}

export function createLrs(endpoint: string, token: string): Lrs {
  return {
    async call(method, resource, query, body, keepalive) {
      const headers: Record<string, string> = {
        Authorization: `Basic ${token}`,
        'X-Experience-API-Version': '1.0.3',
      };
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      try {
        const res = await fetch(`${endpoint}${resource}?${new URLSearchParams(query)}`, {
          method,
          headers,
          body: body === undefined ? null : JSON.stringify(body),
          keepalive: !!keepalive,
        });
        const type = res.headers.get('content-type') ?? '';
        return { status: res.status, body: type.includes('json') ? await res.json() : undefined };
      } catch {
        return { status: 0 };
      }
    },
  };
}
