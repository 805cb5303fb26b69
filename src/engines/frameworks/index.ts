/** Framework views (CIS Kubernetes Benchmark, NSA-CISA, MITRE ATT&CK Containers, Pod Security Standards) over one Report. */
export * from './data.js';
export * from './view.js';
