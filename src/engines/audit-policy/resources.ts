/**
 * Built-in API groups and their resources (with subresources), as kube-apiserver v1.35.4 serves them with every alpha
 * and beta API enabled. Generated from discovery by test/cluster/audit-resources.test.ts
 * (KSPECT_WRITE_AUDIT_RESOURCES=1); the same test fails when the table drifts from the real server.
 */
export const BUILTIN_RESOURCES_VERSION = "v1.35.4";

export const BUILTIN_RESOURCES: Readonly<Record<string, readonly string[]>> = {
  "": ["bindings", "componentstatuses", "configmaps", "endpoints", "events", "limitranges", "namespaces", "namespaces/finalize", "namespaces/status", "nodes", "nodes/proxy", "nodes/status", "persistentvolumeclaims", "persistentvolumeclaims/status", "persistentvolumes", "persistentvolumes/status", "pods", "pods/attach", "pods/binding", "pods/ephemeralcontainers", "pods/eviction", "pods/exec", "pods/log", "pods/portforward", "pods/proxy", "pods/resize", "pods/status", "podtemplates", "replicationcontrollers", "replicationcontrollers/scale", "replicationcontrollers/status", "resourcequotas", "resourcequotas/status", "secrets", "serviceaccounts", "serviceaccounts/token", "services", "services/proxy", "services/status"],
  "admissionregistration.k8s.io": ["mutatingadmissionpolicies", "mutatingadmissionpolicybindings", "mutatingwebhookconfigurations", "validatingadmissionpolicies", "validatingadmissionpolicies/status", "validatingadmissionpolicybindings", "validatingwebhookconfigurations"],
  "apiextensions.k8s.io": ["customresourcedefinitions", "customresourcedefinitions/status"],
  "apiregistration.k8s.io": ["apiservices", "apiservices/status"],
  "apps": ["controllerrevisions", "daemonsets", "daemonsets/status", "deployments", "deployments/scale", "deployments/status", "replicasets", "replicasets/scale", "replicasets/status", "statefulsets", "statefulsets/scale", "statefulsets/status"],
  "authentication.k8s.io": ["selfsubjectreviews", "tokenreviews"],
  "authorization.k8s.io": ["localsubjectaccessreviews", "selfsubjectaccessreviews", "selfsubjectrulesreviews", "subjectaccessreviews"],
  "autoscaling": ["horizontalpodautoscalers", "horizontalpodautoscalers/status"],
  "batch": ["cronjobs", "cronjobs/status", "jobs", "jobs/status"],
  "certificates.k8s.io": ["certificatesigningrequests", "certificatesigningrequests/approval", "certificatesigningrequests/status"],
  "coordination.k8s.io": ["leasecandidates", "leases"],
  "discovery.k8s.io": ["endpointslices"],
  "events.k8s.io": ["events"],
  "flowcontrol.apiserver.k8s.io": ["flowschemas", "flowschemas/status", "prioritylevelconfigurations", "prioritylevelconfigurations/status"],
  "internal.apiserver.k8s.io": ["storageversions", "storageversions/status"],
  "networking.k8s.io": ["ingressclasses", "ingresses", "ingresses/status", "ipaddresses", "networkpolicies", "servicecidrs", "servicecidrs/status"],
  "node.k8s.io": ["runtimeclasses"],
  "policy": ["poddisruptionbudgets", "poddisruptionbudgets/status"],
  "rbac.authorization.k8s.io": ["clusterrolebindings", "clusterroles", "rolebindings", "roles"],
  "resource.k8s.io": ["deviceclasses", "devicetaintrules", "devicetaintrules/status", "resourceclaims", "resourceclaims/status", "resourceclaimtemplates", "resourceslices"],
  "scheduling.k8s.io": ["priorityclasses"],
  "storage.k8s.io": ["csidrivers", "csinodes", "csistoragecapacities", "storageclasses", "volumeattachments", "volumeattachments/status", "volumeattributesclasses"],
};
