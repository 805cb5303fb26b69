// Command testregistry serves go-containerregistry's in-memory OCI registry (pkg/registry, with the OCI 1.1
// referrers API on) for kspect's image tests: over TLS when given a certificate, behind HTTP basic auth or the
// Docker bearer-token flow when asked, and with a count of GET requests per path at /_stats so tests and the
// benchmark can prove that every manifest and signature was fetched once. Test-only; never part of kspect.
package main

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/google/go-containerregistry/pkg/registry"
)

func main() {
	addr := flag.String("addr", "127.0.0.2:0", "listen address")
	cert := flag.String("tls-cert", "", "serving certificate (PEM); plain HTTP without it")
	key := flag.String("tls-key", "", "its key")
	basic := flag.String("basic", "", "user:password required as HTTP basic auth")
	token := flag.Bool("token", false, "with --basic: use the bearer-token flow (realm /token) instead of plain basic auth")
	referrers := flag.Bool("referrers", true, "serve the OCI 1.1 referrers API (off: clients fall back to the sha256-<hex> referrers tag)")
	flag.Parse()

	var mu sync.Mutex
	stats := map[string]int{}
	reg := registry.New(registry.WithReferrersSupport(*referrers), registry.Logger(log.New(io.Discard, "", 0)))
	issued := map[string]bool{}
	user, pass, _ := strings.Cut(*basic, ":")
	scheme := "http"
	if *cert != "" {
		scheme = "https"
	}

	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/_stats" {
			mu.Lock()
			defer mu.Unlock()
			if r.Method == http.MethodDelete {
				stats = map[string]int{}
			}
			_ = json.NewEncoder(w).Encode(stats)
			return
		}
		if r.URL.Path == "/token" && *token {
			u, p, ok := r.BasicAuth()
			if !ok || u != user || p != pass {
				w.Header().Set("WWW-Authenticate", `Basic realm="token"`)
				http.Error(w, `{"errors":[{"code":"UNAUTHORIZED"}]}`, http.StatusUnauthorized)
				return
			}
			b := make([]byte, 16)
			_, _ = rand.Read(b)
			t := hex.EncodeToString(b)
			mu.Lock()
			issued[t] = true
			mu.Unlock()
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(map[string]any{"token": t, "access_token": t, "expires_in": 300})
			return
		}
		if *basic != "" {
			authorized := false
			if *token {
				if t, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
					mu.Lock()
					authorized = issued[t]
					mu.Unlock()
				}
			} else if u, p, ok := r.BasicAuth(); ok && u == user && p == pass {
				authorized = true
			}
			if !authorized {
				if *token {
					w.Header().Set("WWW-Authenticate", fmt.Sprintf(`Bearer realm="%s://%s/token",service="testregistry",scope="repository:*:pull"`, scheme, r.Host))
				} else {
					w.Header().Set("WWW-Authenticate", `Basic realm="testregistry"`)
				}
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusUnauthorized)
				_, _ = w.Write([]byte(`{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}`))
				return
			}
		}
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			mu.Lock()
			stats[r.Method+" "+r.URL.Path]++
			mu.Unlock()
		}
		reg.ServeHTTP(w, r)
	})

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("serving on %s\n", ln.Addr().String())
	s := &http.Server{Handler: handler, ReadHeaderTimeout: 5 * time.Second}
	if *cert != "" {
		log.Fatal(s.ServeTLS(ln, *cert, *key))
	}
	log.Fatal(s.Serve(ln))
}
