/** rbac-csr-approve: Approving CertificateSigningRequests for a signer that issues API client certificates (kubernetes. */
import { dangerCheck } from '../rbac-danger.js';

export const rbacCsrApprove = dangerCheck('rbac-csr-approve', {
  description:
    "Approving CertificateSigningRequests for a signer that issues API client certificates (kubernetes.io/kube-apiserver-client) lets the holder mint a certificate for any user and group \u2014 including system:masters, which RBAC cannot restrict.",
  remediation: "Leave CSR approval to the controller manager; never grant update on certificatesigningrequests/approval together with approve on the kube-apiserver-client signer.",
  references: {cis: ["5.1.11"], urls: ["https://kubernetes.io/docs/reference/access-authn-authz/certificate-signing-requests/#authorization"]},
});
