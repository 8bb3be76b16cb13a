export { PackagerError } from './errors.js';
