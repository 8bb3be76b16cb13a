/*
 * The test LMS's manifest reader, run in Chromium on the LMS origin. It knows nothing of Coursegate: it reads
 * whatever imsmanifest.xml it is pointed at with the browser's DOMParser and derives, for each launchable
 * item of the default organization, the launch URL and the run-time data an LMS initializes from the
 * manifest (SCORM 1.2 CAM 2.3.x / SCORM 2004 CAM 3.4, RTE 4.2 "initialized by the LMS from the manifest").
 */
(() => {
  const NS = {
    adlcp12: 'http://www.adlnet.org/xsd/adlcp_rootv1p2',
    adlcp: 'http://www.adlnet.org/xsd/adlcp_v1p3',
    imsss: 'http://www.imsglobal.org/xsd/imsss',
    xml: 'http://www.w3.org/XML/1998/namespace',
  };

  /** Element children named `local` (any namespace unless `ns` is given): CP elements vary in namespace. */
  const kids = (el, local, ns) =>
    el
      ? Array.from(el.children).filter(
          (c) => c.localName === local && (ns === undefined || c.namespaceURI === ns),
        )
      : [];
  const kid = (el, local, ns) => kids(el, local, ns)[0];
  const text = (el) => (el ? el.textContent.trim() : undefined);

  function standardOf(doc) {
    const version = text(kid(kid(doc.documentElement, 'metadata'), 'schemaversion')) ?? '';
    if (version === '1.2') return 'scorm12';
    if (/2004|CAM 1\.3/.test(version)) return 'scorm2004';
    // No schemaversion: the adlcp namespace the manifest declares tells the edition.
    return doc.documentElement.lookupPrefix(NS.adlcp12) !== null ? 'scorm12' : 'scorm2004';
  }

  /** xml:base of the manifest, <resources> and <resource>, then href: each resolves against the one before. */
  function resourceUrl(packageRoot, doc, resource) {
    let base = packageRoot;
    const resources = resource.parentElement;
    for (const el of [doc.documentElement, resources, resource]) {
      const xmlBase = el.getAttributeNS(NS.xml, 'base');
      if (xmlBase) base = new URL(xmlBase, base).href;
    }
    return new URL(resource.getAttribute('href'), base).href;
  }

  /**
   * Item parameters appended the CAM way: leading '?' and '&' dropped; a '#…' parameter is appended unless
   * the URL already has a fragment; otherwise joined with '&' when the URL has a query, '?' when not. The
   * query goes before an existing fragment (appending it after would make it part of the fragment).
   */
  function withParameters(url, parameters) {
    if (!parameters) return url;
    const p = parameters.replace(/^[?&]+/, '');
    if (p === '') return url;
    const hash = url.indexOf('#');
    if (p.startsWith('#')) return hash === -1 ? url + p : url;
    const head = hash === -1 ? url : url.slice(0, hash);
    const tail = hash === -1 ? '' : url.slice(hash);
    return `${head}${head.includes('?') ? '&' : '?'}${p}${tail}`;
  }

  /** The item's own sequencing element, else the one its IDRef names in the sequencingCollection. */
  function sequencingPart(doc, item, local) {
    const own = kid(item, 'sequencing', NS.imsss);
    if (!own) return undefined;
    const found = kid(own, local, NS.imsss);
    if (found) return found;
    const ref = own.getAttribute('IDRef');
    if (!ref) return undefined;
    const collection = kid(doc.documentElement, 'sequencingCollection', NS.imsss);
    const shared = kids(collection, 'sequencing', NS.imsss).find((s) => s.getAttribute('ID') === ref);
    return kid(shared, local, NS.imsss);
  }

  function seed12(item, learner) {
    const seed = { 'cmi.core.student_id': learner.id, 'cmi.core.student_name': learner.name };
    const from = (local) => text(kid(item, local, NS.adlcp12));
    const put = (key, value) => {
      if (value !== undefined && value !== '') seed[key] = value;
    };
    put('cmi.student_data.mastery_score', from('masteryscore'));
    put('cmi.launch_data', from('datafromlms'));
    put('cmi.student_data.max_time_allowed', from('maxtimeallowed'));
    put('cmi.student_data.time_limit_action', from('timelimitaction'));
    return { seed, sharedDataMaps: [] };
  }

  function seed2004(doc, item, learner) {
    const seed = { 'cmi.learner_id': learner.id, 'cmi.learner_name': learner.name };
    const put = (key, value) => {
      if (value !== undefined && value !== null && value !== '') seed[key] = value;
    };
    const objectives = sequencingPart(doc, item, 'objectives');
    const primary = kid(objectives, 'primaryObjective', NS.imsss);
    const ids = [];
    // RTE 4.2.17: the LMS initializes cmi.objectives from the activity's objectives that have an ID.
    if (primary?.getAttribute('objectiveID')) ids.push(primary.getAttribute('objectiveID'));
    for (const o of kids(objectives, 'objective', NS.imsss))
      if (o.getAttribute('objectiveID')) ids.push(o.getAttribute('objectiveID'));
    ids.forEach((id, i) => {
      seed[`cmi.objectives.${i}.id`] = id;
    });
    // RTE 4.2.19: scaled_passing_score from the primary objective's minNormalizedMeasure when it is
    // satisfied by measure (IMSSS default measure 1.0).
    if (primary?.getAttribute('satisfiedByMeasure') === 'true')
      put('cmi.scaled_passing_score', text(kid(primary, 'minNormalizedMeasure', NS.imsss)) ?? '1.0');
    // RTE 4.2.3: 3rd edition carries the threshold as the element's text, 4th as minProgressMeasure.
    const threshold = kid(item, 'completionThreshold', NS.adlcp);
    if (threshold)
      put('cmi.completion_threshold', threshold.getAttribute('minProgressMeasure') ?? text(threshold));
    put('cmi.launch_data', text(kid(item, 'dataFromLMS', NS.adlcp)));
    put('cmi.time_limit_action', text(kid(item, 'timeLimitAction', NS.adlcp)));
    const limits = sequencingPart(doc, item, 'limitConditions');
    put('cmi.max_time_allowed', limits?.getAttribute('attemptAbsoluteDurationLimit'));
    // 4th edition shared data: adl.data is the item's maps, in order (readSharedData/writeSharedData default true).
    const sharedDataMaps = kids(kid(item, 'data', NS.adlcp), 'map', NS.adlcp).map((m) => ({
      targetID: m.getAttribute('targetID'),
      readSharedData: m.getAttribute('readSharedData') !== 'false',
      writeSharedData: m.getAttribute('writeSharedData') !== 'false',
    }));
    return { seed, sharedDataMaps };
  }

  /**
   * Reads `<packageRoot>imsmanifest.xml`; resolves to the standard, every item identifier of the default
   * organization and its launchable items ({ identifier, title, launchUrl, scormType, seed, sharedDataMaps }).
   */
  async function readManifest(packageRoot, learner) {
    const res = await fetch(new URL('imsmanifest.xml', packageRoot), { cache: 'no-store' });
    if (!res.ok) throw new Error(`imsmanifest.xml: HTTP ${res.status}`);
    const doc = new DOMParser().parseFromString(await res.text(), 'application/xml');
    const broken = doc.getElementsByTagName('parsererror')[0];
    if (broken) throw new Error(`imsmanifest.xml does not parse: ${broken.textContent}`);
    const standard = standardOf(doc);
    const organizations = kid(doc.documentElement, 'organizations');
    const orgs = kids(organizations, 'organization');
    const org =
      orgs.find((o) => o.getAttribute('identifier') === organizations.getAttribute('default')) ?? orgs[0];
    const resources = kids(kid(doc.documentElement, 'resources'), 'resource');
    const allItems = Array.from(org.getElementsByTagNameNS('*', 'item')).filter(
      (i) => i.namespaceURI === org.namespaceURI,
    );
    const items = [];
    for (const item of allItems) {
      const resource = resources.find(
        (r) => r.getAttribute('identifier') === item.getAttribute('identifierref'),
      );
      if (!resource?.getAttribute('href')) continue;
      const scormType =
        standard === 'scorm12'
          ? resource.getAttributeNS(NS.adlcp12, 'scormtype')
          : resource.getAttributeNS(NS.adlcp, 'scormType');
      const derived = standard === 'scorm12' ? seed12(item, learner) : seed2004(doc, item, learner);
      items.push({
        identifier: item.getAttribute('identifier'),
        title: text(kid(item, 'title')),
        scormType,
        launchUrl: withParameters(resourceUrl(packageRoot, doc, resource), item.getAttribute('parameters')),
        ...derived,
      });
    }
    return { standard, itemIds: allItems.map((i) => i.getAttribute('identifier')), items };
  }

  window.manifestLms = { ...(window.manifestLms ?? {}), readManifest, withParameters };
})();
