/**
 * Refuses a content URL on the API's host (docs/architecture.md, "Security invariants"). Course pages, a
 * third party's included, run their own scripts; cookies are scoped by host and not by port, so on the API's
 * host those scripts would ride along with the dashboard's session.
 *
 * @example
 * assertSeparateOrigins({ publicUrl: 'http://localhost:8787', contentUrl: 'http://127.0.0.1:8788' });
 */
export function assertSeparateOrigins(urls: { publicUrl: string; contentUrl: string }): void {
  const host = (name: string, value: string) => {
    try {
      return new URL(value).hostname;
    } catch {
      throw new Error(`${name} is not a URL: "${value}"`);
    }
  };
  const api = host('COURSEGATE_PUBLIC_URL', urls.publicUrl);
  const content = host('COURSEGATE_CONTENT_URL', urls.contentUrl);
  if (api === content)
    throw new Error(
      `COURSEGATE_CONTENT_URL (${urls.contentUrl}) must be on another host than COURSEGATE_PUBLIC_URL (${urls.publicUrl}): cookies do not separate by port, so course pages would share the dashboard's`,
    );
}
