// Command rbac-aggregate runs the upstream ClusterRole aggregation controller of the pinned Kubernetes release
// (k8s.io/kubernetes/pkg/controller/clusterroleaggregation) against a kube-apiserver until nothing changes, then
// exits. The testbed has no kube-controller-manager; kspect's differential RBAC test runs this after applying a
// generated world, so aggregated ClusterRoles hold what the real controller would leave in them.
//
// The controller's own sync function does the work (its informer, lister, selectors, rule dedup and server-side
// apply, unchanged). Only the scheduling is this program's: instead of a work queue fed by watch events, every
// aggregated ClusterRole is synced in name order, round after round, waiting after each write until the informer
// has seen it, until a whole round writes nothing. For aggregation without cycles the state reached does not depend
// on the order; the controller reaches the same one.
//
// A cycle of three or more aggregated roles never settles: each sync collects the others' rules in a new order,
// and the controller rewrites them for ever (the rules compare as ordered lists). Once a round changes no role's
// set of rules, only the order is moving, and the program stops (reporting "reordering": true).
//
// Usage: rbac-aggregate --kubeconfig FILE [--max-rounds N]. Prints one JSON line:
// {"rounds":R,"writes":W,"roles":N,"reordering":false}.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"reflect"
	"sort"
	"strings"
	"time"
	"unsafe"

	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	rbacv1ac "k8s.io/client-go/applyconfigurations/rbac/v1"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	rbacclient "k8s.io/client-go/kubernetes/typed/rbac/v1"
	"k8s.io/client-go/tools/clientcmd"
	"k8s.io/kubernetes/pkg/controller/clusterroleaggregation"
)

// applied records the controller's server-side applies: the object each returned.
type applied struct {
	name            string
	resourceVersion string
}

type recordingGetter struct {
	inner rbacclient.ClusterRolesGetter
	log   *[]applied
}

func (g recordingGetter) ClusterRoles() rbacclient.ClusterRoleInterface {
	return recordingClient{ClusterRoleInterface: g.inner.ClusterRoles(), log: g.log}
}

type recordingClient struct {
	rbacclient.ClusterRoleInterface
	log *[]applied
}

func (c recordingClient) Apply(ctx context.Context, cr *rbacv1ac.ClusterRoleApplyConfiguration, opts metav1.ApplyOptions) (*rbacv1.ClusterRole, error) {
	out, err := c.ClusterRoleInterface.Apply(ctx, cr, opts)
	if err == nil && out != nil {
		*c.log = append(*c.log, applied{name: out.Name, resourceVersion: out.ResourceVersion})
	}
	return out, err
}

func (c recordingClient) Update(ctx context.Context, cr *rbacv1.ClusterRole, opts metav1.UpdateOptions) (*rbacv1.ClusterRole, error) {
	out, err := c.ClusterRoleInterface.Update(ctx, cr, opts)
	if err == nil && out != nil {
		*c.log = append(*c.log, applied{name: out.Name, resourceVersion: out.ResourceVersion})
	}
	return out, err
}

// syncHandlerOf returns the controller's sync function (an unexported field: the package offers no other way to
// run one sync, and its Run loop gives no signal when it is idle).
func syncHandlerOf(c *clusterroleaggregation.ClusterRoleAggregationController) func(context.Context, string) error {
	f := reflect.ValueOf(c).Elem().FieldByName("syncHandler")
	if !f.IsValid() || f.Type() != reflect.TypeOf((func(context.Context, string) error)(nil)) {
		fail("the clusterroleaggregation controller has no syncHandler func(context.Context, string) error field any more; update this program")
	}
	return *(*func(context.Context, string) error)(unsafe.Pointer(f.UnsafeAddr()))
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "rbac-aggregate: "+format+"\n", args...)
	os.Exit(1)
}

func main() {
	kubeconfig := flag.String("kubeconfig", "", "kubeconfig of a user allowed to list, watch and apply ClusterRoles")
	maxRounds := flag.Int("max-rounds", 100, "give up when aggregation has not settled after this many rounds")
	timeout := flag.Duration("timeout", 2*time.Minute, "overall time limit")
	flag.Parse()
	if *kubeconfig == "" {
		fail("--kubeconfig is required")
	}
	cfg, err := clientcmd.BuildConfigFromFlags("", *kubeconfig)
	if err != nil {
		fail("%v", err)
	}
	cfg.QPS, cfg.Burst = 1000, 1000
	cs, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		fail("%v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()

	factory := informers.NewSharedInformerFactory(cs, 0)
	crInformer := factory.Rbac().V1().ClusterRoles()
	var log []applied
	controller := clusterroleaggregation.NewClusterRoleAggregation(crInformer, recordingGetter{inner: cs.RbacV1(), log: &log})
	sync := syncHandlerOf(controller)
	factory.Start(ctx.Done())
	for typ, ok := range factory.WaitForCacheSync(ctx.Done()) {
		if !ok {
			fail("informer for %v did not sync", typ)
		}
	}
	lister := crInformer.Lister()

	// seen reports whether the informer holds the object at this resourceVersion (or a later write of it).
	seen := func(a applied) bool {
		cur, err := lister.Get(a.name)
		return err == nil && cur.ResourceVersion == a.resourceVersion
	}
	// The set of rules of each aggregated role, order aside.
	ruleSets := func(names []string) map[string]string {
		out := map[string]string{}
		for _, n := range names {
			cr, err := lister.Get(n)
			if err != nil {
				fail("%v", err)
			}
			keys := make([]string, 0, len(cr.Rules))
			for _, r := range cr.Rules {
				b, _ := json.Marshal(r)
				keys = append(keys, string(b))
			}
			sort.Strings(keys)
			out[n] = strings.Join(keys, "\n")
		}
		return out
	}
	writes := 0
	for round := 1; round <= *maxRounds; round++ {
		all, err := lister.List(labels.Everything())
		if err != nil {
			fail("%v", err)
		}
		var aggregated []string
		for _, cr := range all {
			if cr.AggregationRule != nil {
				aggregated = append(aggregated, cr.Name)
			}
		}
		sort.Strings(aggregated)
		setsBefore := ruleSets(aggregated)
		roundWrites := 0
		for _, name := range aggregated {
			before, err := lister.Get(name)
			if err != nil {
				fail("%v", err)
			}
			log = log[:0]
			if err := sync(ctx, name); err != nil {
				fail("sync %s: %v", name, err)
			}
			for _, a := range log {
				if a.name == name && a.resourceVersion == before.ResourceVersion {
					continue // a no-op apply
				}
				roundWrites++
				for !seen(a) {
					if ctx.Err() != nil {
						fail("timed out waiting for the informer to see %s at resourceVersion %s", a.name, a.resourceVersion)
					}
					time.Sleep(5 * time.Millisecond)
				}
			}
		}
		writes += roundWrites
		reordering := roundWrites > 0 && reflect.DeepEqual(setsBefore, ruleSets(aggregated))
		if roundWrites == 0 || reordering {
			out, _ := json.Marshal(map[string]any{"rounds": round, "writes": writes, "roles": len(aggregated), "reordering": reordering})
			fmt.Println(string(out))
			return
		}
	}
	fail("aggregation did not settle after %d rounds", *maxRounds)
}
