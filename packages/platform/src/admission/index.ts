export { Admission, type AdmissionSettings, type Leave } from './admission.js';
export { buyAdmissionConfig, buyAdmissionSettings } from './admission-config.js';
export { ConcurrencyLimit, type ConcurrencyLimitSettings } from './concurrency-limit.js';
