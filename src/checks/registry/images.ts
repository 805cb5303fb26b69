/** Image supply-chain checks of `kspect images verify` and `scan --vulns`. Sorted by id. */
import type { AnyCheck } from '../../framework/define.js';
import { imageBaseNotApproved } from '../image-base-not-approved/check.js';
import { imageNotMinimal } from '../image-not-minimal/check.js';
import { imageRunsAsRoot } from '../image-runs-as-root/check.js';
import { imageSignature } from '../image-signature/check.js';
import { imageSigned } from '../image-signed/check.js';
import { imageTooOld } from '../image-too-old/check.js';
import { imageVulnerabilities } from '../image-vulnerabilities/check.js';

export const imageChecks: readonly AnyCheck[] = [
  imageBaseNotApproved,
  imageNotMinimal,
  imageRunsAsRoot,
  imageSignature,
  imageSigned,
  imageTooOld,
  imageVulnerabilities,
];
