// Command kubeconfig-client resolves a kubeconfig exactly as kubectl does — client-go's clientcmd deferred loading
// (--kubeconfig alone, else $KUBECONFIG's files merged, else ~/.kube/config, else in-cluster), the context override,
// and client-go's transports for bearer tokens, token files, basic auth, impersonation, client certificates and exec
// plugins — then makes one GET and prints one JSON line: {"host":…,"status":…} or {"error":…}. kspect's
// differential kubeconfig test runs it and kspect against the same recording HTTPS server and compares what each
// sent (credentials, impersonation headers, client certificate, SNI) and which configurations each refuses.
//
// Usage: kubeconfig-client [--kubeconfig FILE] [--context NAME] [--path /version]
package main

import (
	"encoding/json"
	"flag"
	"io"
	"os"

	// The auth-provider plugins kubectl registers (oidc; the removed gcp and azure say so).
	_ "k8s.io/client-go/plugin/pkg/client/auth"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
)

func main() {
	kubeconfig := flag.String("kubeconfig", "", "kubeconfig file")
	context := flag.String("context", "", "context")
	path := flag.String("path", "/version", "path to GET")
	flag.Parse()
	out := map[string]any{}
	print := func(code int) {
		_ = json.NewEncoder(os.Stdout).Encode(out)
		os.Exit(code)
	}
	rules := clientcmd.NewDefaultClientConfigLoadingRules()
	rules.ExplicitPath = *kubeconfig
	overrides := &clientcmd.ConfigOverrides{CurrentContext: *context}
	cfg, err := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules, overrides).ClientConfig()
	if err != nil {
		out["error"] = err.Error()
		print(1)
	}
	out["host"] = cfg.Host
	client, err := rest.HTTPClientFor(cfg)
	if err != nil {
		out["error"] = err.Error()
		print(1)
	}
	base, _, err := rest.DefaultServerUrlFor(cfg)
	if err != nil {
		out["error"] = err.Error()
		print(1)
	}
	resp, err := client.Get(base.String() + *path)
	if err != nil {
		out["error"] = err.Error()
		print(1)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	out["status"] = resp.StatusCode
	print(0)
}
