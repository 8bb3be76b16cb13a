/** A zip as a download that no cache keeps (packages carry license tokens or unreleased content). */
export function zipDownload(
  body: ReadableStream<Uint8Array> | Uint8Array<ArrayBuffer>,
  filename: string,
): Response {
  return new Response(body, {
    status: 200,
    headers: {
      'content-type': 'application/zip',
      'content-disposition': `attachment; filename="${filename}"`,
      'cache-control': 'no-store',
    },
  });
}
