// Command hollow-kubelet runs kubemark's hollow kubelet (the real kubelet, its HTTP server and its auth filter,
// over a fake container runtime) from the pinned k8s.io/kubernetes module, on loopback, with the serving TLS and
// the authentication/authorization modes set by flags, so kspect's exposure probe meets a real kubelet:
//
//	--anonymous=false                       → unauthenticated requests get 401 Unauthorized
//	--anonymous=true --authorization=Webhook → 403 Forbidden (user=system:anonymous, …), decided by a
//	                                           SubjectAccessReview against the testbed kube-apiserver
//	--anonymous=true --authorization=AlwaysAllow → 200: /pods, /configz, /metrics and exec are open
//	--read-only-port=N                       → the unauthenticated read-only port (10255 by default upstream)
//
// Test-only: built by test/testbed/build.sh into the per-machine cache, started and stopped by pid by the tests.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"go.opentelemetry.io/otel/trace/noop"
	internalapi "k8s.io/cri-api/pkg/apis"
	"k8s.io/klog/v2"

	"k8s.io/apimachinery/pkg/types"
	clientset "k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
	remote "k8s.io/cri-client/pkg"
	fakeremote "k8s.io/cri-client/pkg/fake"
	kubeletapp "k8s.io/kubernetes/cmd/kubelet/app"
	kubeletconfig "k8s.io/kubernetes/pkg/kubelet/apis/config"
	cadvisortest "k8s.io/kubernetes/pkg/kubelet/cadvisor/testing"
	"k8s.io/kubernetes/pkg/kubelet/cm"
	"k8s.io/kubernetes/pkg/kubemark"
)

func main() {
	kubeconfig := flag.String("kubeconfig", "", "kubeconfig of the API server the kubelet registers with")
	name := flag.String("name", "hollow-node", "node name")
	port := flag.Int("port", 10250, "authenticated HTTPS port")
	readOnlyPort := flag.Int("read-only-port", 0, "unauthenticated read-only HTTP port (0: off)")
	tlsCert := flag.String("tls-cert-file", "", "serving certificate (default: a self-signed one, as the kubelet makes)")
	tlsKey := flag.String("tls-private-key-file", "", "serving key")
	clientCA := flag.String("client-ca-file", "", "CA of client certificates (x509 authentication)")
	anonymous := flag.Bool("anonymous", false, "authentication.anonymous.enabled")
	authorization := flag.String("authorization", "Webhook", "authorization.mode: Webhook or AlwaysAllow")
	klog.InitFlags(nil)
	flag.Parse()

	if err := run(*kubeconfig, *name, *port, *readOnlyPort, *tlsCert, *tlsKey, *clientCA, *anonymous, *authorization); err != nil {
		fmt.Fprintf(os.Stderr, "hollow-kubelet: %v\n", err)
		os.Exit(1)
	}
}

func run(kubeconfig, name string, port, readOnlyPort int, tlsCert, tlsKey, clientCA string, anonymous bool, authorization string) error {
	ctx, cancel := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer cancel()

	loaded, err := clientcmd.LoadFromFile(kubeconfig)
	if err != nil {
		return fmt.Errorf("kubeconfig: %w", err)
	}
	clientConfig, err := clientcmd.NewDefaultClientConfig(*loaded, &clientcmd.ConfigOverrides{}).ClientConfig()
	if err != nil {
		return fmt.Errorf("kubeconfig: %w", err)
	}
	clientConfig.UserAgent = "hollow-kubelet"
	client, err := clientset.NewForConfig(clientConfig)
	if err != nil {
		return err
	}

	f, c := kubemark.GetHollowKubeletConfig(&kubemark.HollowKubeletOptions{
		NodeName:            name,
		KubeletPort:         port,
		KubeletReadOnlyPort: readOnlyPort,
		MaxPods:             110,
		NodeLabels:          map[string]string{},
	})
	// Loopback only, no healthz port (parallel test files would fight over 10248).
	c.Address = "127.0.0.1"
	c.HealthzPort = 0
	f.NodeIP = "127.0.0.1"
	c.TLSCertFile = tlsCert
	c.TLSPrivateKeyFile = tlsKey
	f.CertDirectory = f.RootDirectory
	c.Authentication.Anonymous.Enabled = anonymous
	c.Authentication.Webhook.Enabled = true
	c.Authentication.Webhook.CacheTTL.Duration = 0
	c.Authentication.X509.ClientCAFile = clientCA
	switch authorization {
	case "Webhook":
		c.Authorization.Mode = kubeletconfig.KubeletAuthorizationModeWebhook
	case "AlwaysAllow":
		c.Authorization.Mode = kubeletconfig.KubeletAuthorizationModeAlwaysAllow
	default:
		return fmt.Errorf("--authorization must be Webhook or AlwaysAllow")
	}
	c.Authorization.Webhook.CacheAuthorizedTTL.Duration = 0
	c.Authorization.Webhook.CacheUnauthorizedTTL.Duration = 0

	heartbeatConfig := *clientConfig
	heartbeatConfig.Timeout = c.NodeStatusUpdateFrequency.Duration
	heartbeatConfig.QPS = float32(-1)
	heartbeatClient, err := clientset.NewForConfig(&heartbeatConfig)
	if err != nil {
		return err
	}

	endpoint, err := fakeremote.GenerateEndpoint()
	if err != nil {
		return err
	}
	fakeRuntime := fakeremote.NewFakeRemoteRuntime()
	if err := fakeRuntime.Start(endpoint); err != nil {
		return err
	}
	defer fakeRuntime.Stop()
	logger := klog.Background()
	runtimeService, err := remote.NewRemoteRuntimeService(endpoint, 15*time.Second, noop.NewTracerProvider(), &logger)
	if err != nil {
		return err
	}
	var imageService internalapi.ImageManagerService = fakeRuntime.ImageService

	hk := kubemark.NewHollowKubelet(f, c, client, heartbeatClient, &cadvisortest.Fake{NodeName: name}, imageService, runtimeService, cm.NewStubContainerManager())

	// What the kubelet's own run() does and the hollow kubelet leaves out: serving TLS and the auth filter.
	tlsOptions, err := kubeletapp.InitializeTLS(ctx, f, c)
	if err != nil {
		return fmt.Errorf("tls: %w", err)
	}
	hk.KubeletDeps.TLSOptions = tlsOptions
	auth, runCAReload, err := kubeletapp.BuildAuth(types.NodeName(name), client, *c)
	if err != nil {
		return fmt.Errorf("auth: %w", err)
	}
	hk.KubeletDeps.Auth = auth
	runCAReload(ctx.Done())

	go hk.Run(ctx)
	<-ctx.Done()
	return nil
}
