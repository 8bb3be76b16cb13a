// The §9 rule checker lives with the cmi5 LMS it strict-checks for (examples/demo-lms/cmi5-lms).
export * from '../../examples/demo-lms/cmi5-lms/rules.js';
