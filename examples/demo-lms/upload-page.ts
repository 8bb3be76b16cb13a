import { escapeHtml, formatBytes } from './html.js';
import type { UploadedPackage } from './upload-store.js';

const STANDARDS = { scorm12: 'SCORM 1.2', scorm2004: 'SCORM 2004', cmi5: 'cmi5' } as const;

export function standardName(p: Pick<UploadedPackage, 'standard' | 'edition'>): string {
  const name = STANDARDS[p.standard];
  return p.edition ? `${name} ${['', '', '2nd', '3rd', '4th'][p.edition]} edition` : name;
}

/**
 * The upload form: a plain multipart form that works without scripts; with them it uploads in the
 * background to show progress, and shows refusals without leaving the page.
 */
export function uploadForm(maxBytes: number): string {
  const limit = formatBytes(maxBytes);
  return `<section aria-labelledby="upload-heading"><h2 id="upload-heading">Upload a package</h2>
<p>A SCORM 1.2, SCORM 2004 or cmi5 zip, gated (from the dashboard or <code>coursegate licenses package</code>) or
portable (from <code>coursegate package</code>), up to ${limit}. The demo LMS unpacks it as an LMS imports a course.</p>
<form id="upload" method="post" action="/upload" enctype="multipart/form-data">
<p><label for="package-file">Package zip</label>
<input id="package-file" name="package" type="file" accept=".zip,application/zip" required aria-describedby="upload-status"></p>
<p><button type="submit">Upload</button>
<progress id="upload-progress" max="100" value="0" hidden aria-label="Upload progress"></progress></p>
<p id="upload-status" role="status"></p>
<p id="upload-error" role="alert"></p>
</form>
<script>
(function () {
  var form = document.getElementById('upload');
  var input = document.getElementById('package-file');
  var bar = document.getElementById('upload-progress');
  var status = document.getElementById('upload-status');
  var error = document.getElementById('upload-error');
  var button = form.querySelector('button');
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    error.textContent = '';
    var file = input.files && input.files[0];
    if (!file) { error.textContent = 'Choose a zip file first.'; return; }
    if (file.size > ${maxBytes}) {
      error.textContent = 'The file is larger than the ${limit} the demo LMS accepts.';
      return;
    }
    var xhr = new XMLHttpRequest();
    xhr.open('POST', '/upload');
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = function (p) {
      if (p.lengthComputable) bar.value = Math.round((p.loaded / p.total) * 100);
    };
    xhr.upload.onload = function () { status.textContent = 'Unpacking and checking the package…'; };
    var done = function () { button.disabled = false; bar.hidden = true; };
    xhr.onload = function () {
      var body = null;
      try { body = JSON.parse(xhr.responseText); } catch (_) {}
      if (xhr.status === 201 && body && body.package) {
        status.textContent = 'Uploaded.';
        location.assign('/?uploaded=' + encodeURIComponent(body.package.id) + '#package-' + body.package.id);
        return;
      }
      done();
      status.textContent = '';
      error.textContent = (body && body.error && body.error.message) || 'The upload failed (HTTP ' + xhr.status + ').';
    };
    xhr.onerror = function () { done(); status.textContent = ''; error.textContent = 'The upload failed: the demo LMS did not answer.'; };
    button.disabled = true;
    bar.hidden = false;
    bar.value = 0;
    status.textContent = 'Uploading ' + file.name + '…';
    var data = new FormData();
    data.append('package', file, file.name);
    xhr.send(data);
  });
})();
</script></section>`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function counts(p: UploadedPackage): string {
  if (p.standard === 'cmi5') return plural(p.launchables.length, 'AU');
  const scos = p.launchables.filter((l) => l.kind === 'sco').length;
  const assets = p.launchables.length - scos;
  return [scos ? plural(scos, 'SCO') : '', assets ? plural(assets, 'asset') : ''].filter(Boolean).join(', ');
}

/** The uploaded packages, each with a launch link per SCO/asset (SCORM) or AU (cmi5). */
export function uploadedList(packages: UploadedPackage[], justUploaded?: string): string {
  const fresh = packages.find((p) => p.id === justUploaded);
  const items = packages
    .map((p) => {
      const links = p.launchables
        .map(
          (l, i) =>
            `<li><a href="/uploads/${p.id}/launch/${i}">Launch ${escapeHtml(l.title || l.id)}</a>${
              l.kind === 'asset' ? ' (asset)' : ''
            }</li>`,
        )
        .join('');
      return `<li id="package-${p.id}"><strong>${escapeHtml(p.title)}</strong>, ${standardName(p)}, from
<code>${escapeHtml(p.fileName)}</code> (${counts(p)})<ul>${links}</ul></li>`;
    })
    .join('');
  return `<section aria-labelledby="uploaded-heading"><h2 id="uploaded-heading">Uploaded packages</h2>
${fresh ? `<p role="status">Uploaded ${escapeHtml(fresh.title)} (${standardName(fresh)}).</p>` : ''}
${items ? `<ul id="uploaded">${items}</ul>` : '<p>None yet.</p>'}</section>`;
}
