export { findApi } from './lms/discover.js';
