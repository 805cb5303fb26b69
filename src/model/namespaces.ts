/** Namespaces Kubernetes itself creates and manages, which namespace-hygiene checks leave alone. */
export const SYSTEM_NAMESPACES: ReadonlySet<string> = new Set(['kube-system', 'kube-public', 'kube-node-lease']);
