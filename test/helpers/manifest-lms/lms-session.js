/*
 * The test LMS's run-time side, in Chromium on the LMS origin: a scorm-again API seeded as an LMS seeds it
 * (the learner, what the package's manifest says, and on relaunch what the previous session stored), put on
 * the window for the SCO to discover, and a record of everything the SCO (or whatever sits between) did.
 */
(() => {
  const STANDARDS = {
    scorm12: {
      cls: 'Scorm12API',
      global: 'API',
      methods: ['LMSInitialize', 'LMSFinish', 'LMSGetValue', 'LMSSetValue', 'LMSCommit'],
      set: 'LMSSetValue',
      lastError: 'LMSGetLastError',
      finish: 'LMSFinish',
      entry: 'cmi.core.entry',
      exit: 'cmi.core.exit',
      totalTime: 'cmi.core.total_time',
    },
    scorm2004: {
      cls: 'Scorm2004API',
      global: 'API_1484_11',
      methods: ['Initialize', 'Terminate', 'GetValue', 'SetValue', 'Commit'],
      set: 'SetValue',
      lastError: 'GetLastError',
      finish: 'Terminate',
      entry: 'cmi.entry',
      exit: 'cmi.exit',
      totalTime: 'cmi.total_time',
    },
  };
  // Write-only or recomputed at each launch: an LMS does not hand these back to the next session as stored.
  const NOT_CARRIED = /(^|\.)(session_time|total_time|exit|entry)$/;

  const loaded = {};
  function loadScormAgain(standard) {
    loaded[standard] ??= new Promise((resolve, reject) => {
      const s = document.createElement('script');
      s.src = `/scorm-again/${standard}.js`;
      s.onload = resolve;
      s.onerror = () => reject(new Error(`scorm-again ${standard} did not load`));
      document.head.append(s);
    });
    return loaded[standard];
  }

  /** SCORM 1.2 has no helper in scorm-again: RTE 3.4.2.1.4, "resume" after a suspend, else "". */
  function entryAfter(api, standard, stored) {
    if (!stored) return 'ab-initio';
    const exit = stored.cmi[STANDARDS[standard].exit] ?? '';
    const suspendData = (stored.cmi['cmi.suspend_data'] ?? '') !== '';
    if (standard === 'scorm2004') return api.determineEntryValue(exit, suspendData);
    return exit === 'suspend' ? 'resume' : '';
  }

  let current;

  /**
   * Launches item `itemIndex` (default: the first launchable one) of the package unzipped at `packageRoot`,
   * or frames `frameUrl` instead of the item's launch URL (a probe SCO) with the item's seed. `stored` is
   * what `close()` returned for the previous session of the same learner and item.
   */
  async function launch({ packageRoot, itemIndex = 0, learner, stored, frameUrl }) {
    const manifest = await window.manifestLms.readManifest(packageRoot, learner);
    const item = manifest.items[itemIndex];
    if (!item) throw new Error(`no launchable item ${itemIndex} in ${packageRoot}imsmanifest.xml`);
    const std = STANDARDS[manifest.standard];
    await loadScormAgain(manifest.standard);
    const api = new window[std.cls]({
      autocommit: false,
      lmsCommitUrl: false,
      logLevel: 5,
      scoItemIds: manifest.itemIds,
    });
    const carried = {};
    for (const [k, v] of Object.entries(stored?.cmi ?? {})) if (!NOT_CARRIED.test(k)) carried[k] = v;
    const seed = { ...carried, ...item.seed, [std.entry]: entryAfter(api, manifest.standard, stored) };
    if (stored?.totalTime) seed[std.totalTime] = stored.totalTime;
    api.loadFromFlattenedJSON(seed, '');
    if (api.adl?.configureSharedDataMaps && item.sharedDataMaps.length > 0) {
      api.adl.configureSharedDataMaps(item.sharedDataMaps);
      api.adl.restoreSharedDataSnapshot(stored?.sharedData ?? {});
    }

    const session = { calls: [], errors: [], finished: false };
    for (const m of std.methods) {
      const original = api[m].bind(api);
      api[m] = (...args) => {
        const result = original(...args);
        const code = String(api[std.lastError]());
        const call = [m, ...args.map(String)];
        session.calls.push({ call, result: String(result), code });
        if (code !== '0') session.errors.push({ method: m, args: args.map(String), code });
        if (m === std.finish && result === 'true') session.finished = true;
        return result;
      };
    }
    window[std.global] = api;
    const frame = document.createElement('iframe');
    frame.id = 'sco';
    frame.title = item.title ?? 'course';
    frame.style.cssText = 'width:100%;height:640px;border:0';
    frame.src = frameUrl ?? item.launchUrl;
    document.body.append(frame);
    current = { api, std, session, manifest };
    return { standard: manifest.standard, item: item.identifier, launchUrl: frame.src, seed };
  }

  const finished = () => current?.session.finished === true;
  const initialized = () =>
    current?.session.calls.some((c) => c.call[0] === current.std.methods[0] && c.result === 'true') === true;

  /**
   * Takes the SCO away (removes its frame, so its unload handlers run) and returns the session: the whole
   * CMI scorm-again renders, flattened, plus adl.data by target id; the calls and the failed ones; and
   * what an LMS stores for the next launch.
   */
  function close() {
    const { api, std, session } = current;
    document.getElementById('sco')?.remove();
    const cmi = api.getFlattenedCMI();
    const sharedData = api.adl?.captureSharedDataSnapshot ? api.adl.captureSharedDataSnapshot() : {};
    const record = { ...cmi };
    for (const [id, store] of Object.entries(sharedData)) record[`adl.data.${id}.store`] = store;
    const sets = session.calls.filter((c) => c.call[0] === std.set).map((c) => c.call.slice(1));
    // The LMS adds the session to the stored total (excluded from the comparison: it is wall-clock time).
    const totalTime = api.cmi.getCurrentTotalTime?.();
    delete window[std.global];
    current = undefined;
    return {
      record,
      sets,
      calls: session.calls,
      errors: session.errors,
      stored: { cmi, sharedData, totalTime },
    };
  }

  window.manifestLms = { ...(window.manifestLms ?? {}), launch, initialized, finished, close };
})();
