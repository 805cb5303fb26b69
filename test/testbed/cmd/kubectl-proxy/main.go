// Command kubectl-proxy runs `kubectl proxy`'s own server (k8s.io/kubectl/pkg/proxy, with kubectl proxy's default
// filters) from the pinned module, for machines without kubectl. It takes the flags of `kubectl proxy` that the
// tests use (a leading "proxy" argument is ignored): --kubeconfig, --address, --port.
//
// Test-only: built by test/testbed/build.sh into the per-machine cache, started and stopped by pid by the tests.
package main

import (
	"flag"
	"fmt"
	"os"

	"k8s.io/client-go/tools/clientcmd"
	"k8s.io/kubectl/pkg/proxy"
)

func main() {
	args := os.Args[1:]
	if len(args) > 0 && args[0] == "proxy" {
		args = args[1:]
	}
	fs := flag.NewFlagSet("kubectl-proxy", flag.ExitOnError)
	kubeconfig := fs.String("kubeconfig", "", "kubeconfig file")
	address := fs.String("address", "127.0.0.1", "address to listen on")
	port := fs.Int("port", 8001, "port to listen on")
	_ = fs.Parse(args)

	cfg, err := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(&clientcmd.ClientConfigLoadingRules{ExplicitPath: *kubeconfig}, &clientcmd.ConfigOverrides{}).ClientConfig()
	if err != nil {
		fmt.Fprintf(os.Stderr, "kubectl-proxy: %v\n", err)
		os.Exit(1)
	}
	filter := &proxy.FilterServer{
		AcceptPaths:   proxy.MakeRegexpArrayOrDie(proxy.DefaultPathAcceptRE),
		RejectPaths:   proxy.MakeRegexpArrayOrDie(proxy.DefaultPathRejectRE),
		AcceptHosts:   proxy.MakeRegexpArrayOrDie(proxy.DefaultHostAcceptRE),
		RejectMethods: proxy.MakeRegexpArrayOrDie(proxy.DefaultMethodRejectRE),
	}
	server, err := proxy.NewServer("", "/", "/static/", filter, cfg, 0, false)
	if err != nil {
		fmt.Fprintf(os.Stderr, "kubectl-proxy: %v\n", err)
		os.Exit(1)
	}
	l, err := server.Listen(*address, *port)
	if err != nil {
		fmt.Fprintf(os.Stderr, "kubectl-proxy: %v\n", err)
		os.Exit(1)
	}
	fmt.Printf("Starting to serve on %s\n", l.Addr().String())
	if err := server.ServeOnListener(l); err != nil {
		fmt.Fprintf(os.Stderr, "kubectl-proxy: %v\n", err)
		os.Exit(1)
	}
}
