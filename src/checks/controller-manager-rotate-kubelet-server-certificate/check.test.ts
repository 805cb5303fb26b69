import { testNodeControl } from '../node-controls/tester.js';
import { controllerManagerRotateKubeletServerCertificate } from './check.js';

testNodeControl(controllerManagerRotateKubeletServerCertificate, import.meta.dirname);
