const NAMES = {
  scorm12: {
    cls: 'Scorm12API',
    global: 'API',
    id: 'cmi.core.student_id',
    name: 'cmi.core.student_name',
    end: 'LMSFinish',
    commit: 'LMSCommit',
    mastery: 'cmi.student_data.mastery_score',
    masteryOf: (scaled: number) => String(Math.round(scaled * 100)),
  },
  scorm2004: {
    cls: 'Scorm2004API',
    global: 'API_1484_11',
    id: 'cmi.learner_id',
    name: 'cmi.learner_name',
    end: 'Terminate',
    commit: 'Commit',
    mastery: 'cmi.scaled_passing_score',
    masteryOf: (scaled: number) => String(scaled),
  },
} as const;

export interface ScormLaunch {
  /** The SCO's launch URL, as the package's manifest names it. */
  src: string;
  title?: string;
  /** Scaled 0..1, from the manifest; seeded into the data model as an LMS does. */
  masteryScore?: number;
  /** A SCORM asset: content that never calls the LMS API, so nothing will be recorded. */
  asset?: boolean;
}

const attr = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The demo LMS's SCORM player page: scorm-again as the LMS API, seeded with the learner, framing the
 * SCO's launch page; when the session ends it shows the CMI the LMS recorded.
 */
export function scormPage(
  standard: 'scorm12' | 'scorm2004',
  learner: { name: string; id: string },
  launch: ScormLaunch,
): string {
  const n = NAMES[standard];
  const data: Record<string, string> = { [n.id]: learner.id, [n.name]: learner.name };
  if (launch.masteryScore !== undefined) data[n.mastery] = n.masteryOf(launch.masteryScore);
  const seed = JSON.stringify(data).replace(/</g, '\\u003c');
  const { src } = launch;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Demo LMS: ${standard}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;margin:1rem}iframe{width:100%;height:560px;border:1px solid #ccc}pre{background:#f4f4f4;padding:1rem}</style>
<script src="/scorm-again/${standard}.js"></script>
<script>
(function () {
  var api = new window.${n.cls}({ autocommit: true, lmsCommitUrl: false, logLevel: 5 });
  api.loadFromFlattenedJSON(${seed}, '');
  var show = function () {
    document.getElementById('recorded').textContent = JSON.stringify(JSON.parse(api.renderCMIToJSONString()), null, 2);
  };
  ['${n.commit}', '${n.end}'].forEach(function (m) {
    var original = api[m];
    api[m] = function () {
      var r = original.apply(api, arguments);
      show();
      if (m === '${n.end}') document.getElementById('state').textContent = 'Session finished.';
      return r;
    };
  });
  window.${n.global} = api;
})();
</script></head><body>
<p><a href="/">Demo LMS</a> · ${standard} · learner ${learner.name.replace(/[<&]/g, '')}</p>
<iframe id="sco" title="${attr(launch.title ?? 'course')}" src="${attr(src)}"></iframe>
<p><button type="button" id="finish" onclick="document.getElementById('sco').remove();this.hidden=true">Finish the session</button></p>
<section><h2>What the LMS recorded</h2><p id="state" role="status">${
    launch.asset
      ? 'Session open. This item is an asset: it does not talk to the LMS, so nothing is recorded.'
      : 'Session open.'
  }</p><pre id="recorded">(nothing yet)</pre></section>
</body></html>`;
}
