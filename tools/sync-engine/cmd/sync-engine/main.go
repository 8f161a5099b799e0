// Command sync-engine syncs a folder of manifests to a Kubernetes API server with Argo CD's sync
// engine (github.com/argoproj/gitops-engine): phases (PreSync, Sync, PostSync) and sync waves in
// order, hooks, and each wave's health before the next, with health checks in Lua as Argo CD's
// argocd-cm `resource.customizations.health.<group>_<Kind>` keys define them.
//
//	sync-engine --kubeconfig <file> --namespace <ns> --dir <folder> [--health <file>] [--timeout <seconds>] [--prune]
//
// It writes one JSON object a line to stdout, in the order things happen:
//
//	{"event":"apply","wave":N,"kind":"...","name":"...","phase":"PreSync|Sync|PostSync","hook":false}
//	{"event":"prune","wave":N,"kind":"...","name":"...","phase":"Sync","hook":false}   (with --prune)
//	{"event":"health","kind":"...","name":"...","status":"Healthy|Progressing|...","message":"..."}
//	{"event":"result","phase":"Succeeded|Failed|Running","message":"..."}
//
// Exit status: 0 when the sync succeeded, 1 when it failed or --timeout passed first (phase
// Running), 2 when it could not run (bad flags, unreadable files, cluster unreachable).
//
// Like Argo CD's application controller, it keeps the operation's state between attempts and
// builds a new sync context from the cluster cache for each attempt (sync.WithInitialState), so
// every attempt sees the live objects as they are now. Every object it applies gets the
// annotation below; the objects carrying it for this --namespace are the ones it manages (and
// prunes with --prune).
package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	gosync "sync"
	"syscall"
	"time"

	"github.com/go-logr/logr"
	lua "github.com/yuin/gopher-lua"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	"k8s.io/klog/v2"
	"sigs.k8s.io/yaml"

	"github.com/argoproj/gitops-engine/pkg/cache"
	"github.com/argoproj/gitops-engine/pkg/health"
	"github.com/argoproj/gitops-engine/pkg/sync"
	"github.com/argoproj/gitops-engine/pkg/sync/common"
	"github.com/argoproj/gitops-engine/pkg/sync/hook"
	"github.com/argoproj/gitops-engine/pkg/sync/syncwaves"
	"github.com/argoproj/gitops-engine/pkg/utils/kube"
	"github.com/argoproj/gitops-engine/pkg/utils/tracing"
)

const (
	// trackingAnnotation marks the objects this program manages:
	// "<--namespace>:<group>/<Kind>:<namespace>/<name>" (the name is the generateName of a hook that has one).
	trackingAnnotation = "sync-engine.alert-stream-deploy/tracking-id"
	// envSyncWaveDelay is Argo CD's setting of the pause after each wave but the last (default 2 s),
	// which gives controllers a chance to act on a change before its health is assessed.
	envSyncWaveDelay = "ARGOCD_SYNC_WAVE_DELAY"
	// refreshInterval is the longest wait between two attempts; a change of a managed object
	// in the cluster cache starts the next attempt sooner, but never before minInterval.
	refreshInterval = time.Second
	minInterval     = 200 * time.Millisecond
)

const (
	exitSucceeded = 0
	exitFailed    = 1
	exitCannotRun = 2
)

func main() {
	os.Exit(run(os.Args[1:]))
}

type options struct {
	kubeconfig string
	namespace  string
	dir        string
	health     string
	timeout    time.Duration
	prune      bool
}

const usage = `usage: sync-engine --kubeconfig <file> --namespace <ns> --dir <folder of *.yaml> [--health <file>] [--timeout <seconds>] [--prune]`

func parseFlags(args []string) (options, error) {
	var o options
	var timeout int
	fs := flag.NewFlagSet("sync-engine", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&o.kubeconfig, "kubeconfig", "", "kubeconfig of the cluster (its current context)")
	fs.StringVar(&o.namespace, "namespace", "", "namespace of namespaced objects that have none")
	fs.StringVar(&o.dir, "dir", "", "folder of *.yaml manifests, read in file name order")
	fs.StringVar(&o.health, "health", "", "YAML of argocd-cm resource.customizations.health.<group>_<Kind> Lua scripts")
	fs.IntVar(&timeout, "timeout", 300, "seconds to wait for the sync to succeed or fail")
	fs.BoolVar(&o.prune, "prune", false, "delete managed objects that are no longer in --dir")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	switch {
	case fs.NArg() > 0:
		return o, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	case o.kubeconfig == "":
		return o, errors.New("--kubeconfig is required")
	case o.namespace == "":
		return o, errors.New("--namespace is required")
	case o.dir == "":
		return o, errors.New("--dir is required")
	case timeout <= 0:
		return o, errors.New("--timeout must be a positive number of seconds")
	}
	o.timeout = time.Duration(timeout) * time.Second
	return o, nil
}

func cannotRun(err error) int {
	fmt.Fprintf(os.Stderr, "sync-engine: %s\n", strings.ReplaceAll(err.Error(), "\n", " "))
	return exitCannotRun
}

func run(args []string) (code int) {
	defer func() {
		if r := recover(); r != nil {
			code = cannotRun(fmt.Errorf("internal error: %v", r))
		}
	}()
	o, err := parseFlags(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Println(usage)
		return exitSucceeded
	}
	if err != nil {
		return cannotRun(fmt.Errorf("%v (%s)", err, usage))
	}
	quietLogs()

	targets, revision, err := loadManifests(o.dir)
	if err != nil {
		return cannotRun(err)
	}
	var override health.HealthOverride
	if o.health != "" {
		checks, err := loadHealthChecks(o.health)
		if err != nil {
			return cannotRun(err)
		}
		override = checks
	}
	config, err := clientcmd.BuildConfigFromFlags("", o.kubeconfig)
	if err != nil {
		return cannotRun(fmt.Errorf("kubeconfig %s: %v", o.kubeconfig, err))
	}
	if config.QPS == 0 {
		config.QPS, config.Burst = 50, 100
	}
	if err := probe(config); err != nil {
		return cannotRun(fmt.Errorf("cluster unreachable: %v", err))
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()

	out := &eventWriter{enc: json.NewEncoder(os.Stdout)}
	out.enc.SetEscapeHTML(false)
	s := newSyncer(config, o, override, targets, revision, out)

	// Filling the cache lists every kind of object in the cluster; the timeout covers it too.
	started := make(chan error, 1)
	go func() { started <- s.cache.EnsureSynced() }()
	select {
	case err := <-started:
		if err != nil {
			return cannotRun(fmt.Errorf("cluster unreachable: %v", err))
		}
	case <-ctx.Done():
		out.result(common.OperationRunning, stoppedMessage(ctx, o.timeout, "listing the cluster's objects"))
		return exitFailed
	}
	defer s.cache.Invalidate()
	s.prepareTargets()

	done := make(chan struct{})
	go func() {
		s.loop(ctx)
		close(done)
	}()
	select {
	case <-done:
	case <-ctx.Done():
	}
	phase, message := s.state()
	if !phase.Completed() {
		out.result(common.OperationRunning, stoppedMessage(ctx, o.timeout, message))
		return exitFailed
	}
	<-done // the state is set last in an attempt: the loop is returning
	s.reportFinalHealth()
	out.result(phase, message)
	if phase.Successful() {
		return exitSucceeded
	}
	return exitFailed
}

func stoppedMessage(ctx context.Context, timeout time.Duration, message string) string {
	reason := fmt.Sprintf("timed out after %ds", int(timeout.Seconds()))
	if !errors.Is(ctx.Err(), context.DeadlineExceeded) {
		reason = "interrupted"
	}
	if message == "" {
		return reason
	}
	return reason + ": " + message
}

// quietLogs keeps stdout for events and stderr for the one line of a failure to run: the engine,
// client-go and the kubectl library log through klog.
func quietLogs() {
	fs := flag.NewFlagSet("klog", flag.ContinueOnError)
	klog.InitFlags(fs)
	_ = fs.Set("logtostderr", "false")
	_ = fs.Set("alsologtostderr", "false")
	_ = fs.Set("stderrthreshold", "FATAL")
	klog.SetOutput(io.Discard)
	rest.SetDefaultWarningHandler(rest.NoWarnings{})
}

func probe(config *rest.Config) error {
	c := rest.CopyConfig(config)
	c.Timeout = 15 * time.Second
	client, err := discovery.NewDiscoveryClientForConfig(c)
	if err != nil {
		return err
	}
	_, err = client.ServerVersion()
	return err
}

// ---- manifests

func loadManifests(dir string) ([]*unstructured.Unstructured, string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, "", fmt.Errorf("--dir: %v", err)
	}
	var objs []*unstructured.Unstructured
	digest := sha256.New()
	for _, e := range entries { // os.ReadDir sorts by file name
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".yaml") {
			continue
		}
		path := filepath.Join(dir, e.Name())
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, "", err
		}
		digest.Write([]byte(e.Name()))
		digest.Write(data)
		docs, err := kube.SplitYAML(data)
		if err != nil {
			return nil, "", fmt.Errorf("%s: %v", path, err)
		}
		for i, obj := range docs {
			if obj.GetAPIVersion() == "" || obj.GetKind() == "" {
				return nil, "", fmt.Errorf("%s: document %d has no apiVersion or kind", path, i+1)
			}
			if obj.GetName() == "" && (obj.GetGenerateName() == "" || !hook.IsHook(obj)) {
				return nil, "", fmt.Errorf("%s: %s in document %d has no metadata.name", path, obj.GetKind(), i+1)
			}
			objs = append(objs, obj)
		}
	}
	if len(objs) == 0 {
		return nil, "", fmt.Errorf("--dir: no objects in %s/*.yaml", dir)
	}
	return objs, hex.EncodeToString(digest.Sum(nil)), nil
}

// ---- the sync

type resourceInfo struct {
	trackingID string
	hook       bool
}

type syncer struct {
	config   *rest.Config
	opts     options
	override health.HealthOverride
	kubectl  kube.Kubectl
	cache    cache.ClusterCache
	targets  []*unstructured.Unstructured
	revision string
	out      *eventWriter
	updated  chan struct{}

	// the operation's state, carried from one attempt to the next as Argo CD does
	mu        gosync.Mutex
	phase     common.OperationPhase
	message   string
	results   []common.ResourceSyncResult
	startedAt time.Time
	lastError error

	reported map[string]bool                          // results already written as apply/prune events
	health   map[kube.ResourceKey]health.HealthStatus // health last written for each object
}

func newSyncer(config *rest.Config, o options, override health.HealthOverride, targets []*unstructured.Unstructured, revision string, out *eventWriter) *syncer {
	s := &syncer{
		config:    config,
		opts:      o,
		override:  override,
		kubectl:   &kube.KubectlCmd{Log: logr.Discard(), Tracer: tracing.NopTracer{}},
		targets:   targets,
		revision:  revision,
		out:       out,
		updated:   make(chan struct{}, 1),
		startedAt: time.Now(),
		reported:  map[string]bool{},
		health:    map[kube.ResourceKey]health.HealthStatus{},
	}
	s.cache = cache.NewClusterCache(config,
		cache.SetLogr(logr.Discard()),
		cache.SetKubectl(s.kubectl),
		cache.SetPopulateResourceInfoHandler(func(un *unstructured.Unstructured, _ bool) (interface{}, bool) {
			id := un.GetAnnotations()[trackingAnnotation]
			// keep the whole manifest of managed objects only: the engine compares and assesses those
			return &resourceInfo{trackingID: id, hook: hook.IsHook(un)}, id != ""
		}),
	)
	s.cache.OnResourceUpdated(func(newRes, oldRes *cache.Resource, _ map[kube.ResourceKey]*cache.Resource) {
		if (newRes != nil && s.isManaged(newRes)) || (oldRes != nil && s.isManaged(oldRes)) {
			select {
			case s.updated <- struct{}{}:
			default:
			}
		}
	})
	return s
}

func trackingID(app string, key kube.ResourceKey) string {
	return fmt.Sprintf("%s:%s/%s:%s/%s", app, key.Group, key.Kind, key.Namespace, key.Name)
}

func (s *syncer) isManaged(r *cache.Resource) bool {
	info, ok := r.Info.(*resourceInfo)
	if !ok || info.trackingID == "" {
		return false
	}
	key := r.ResourceKey()
	if info.trackingID == trackingID(s.opts.namespace, key) {
		return true
	}
	// a hook created from generateName: the annotation holds the prefix of its name
	key.Name = ""
	prefix := trackingID(s.opts.namespace, key)
	generateName := strings.TrimPrefix(info.trackingID, prefix)
	return info.hook && generateName != info.trackingID && generateName != "" && strings.HasPrefix(r.Ref.Name, generateName)
}

// prepareTargets gives namespaced objects without a namespace --namespace (a kind the cluster does
// not know yet counts as namespaced unless a CustomResourceDefinition in --dir says otherwise, as
// in the engine's reconciliation) and marks every object as managed.
func (s *syncer) prepareTargets() {
	scopes := map[schema.GroupKind]bool{}
	for _, t := range s.targets {
		if kube.IsCRD(t) {
			group, _, _ := unstructured.NestedString(t.Object, "spec", "group")
			kind, _, _ := unstructured.NestedString(t.Object, "spec", "names", "kind")
			scope, _, _ := unstructured.NestedString(t.Object, "spec", "scope")
			scopes[schema.GroupKind{Group: group, Kind: kind}] = scope != "Cluster"
		}
	}
	for _, t := range s.targets {
		gk := t.GroupVersionKind().GroupKind()
		namespaced, ok := scopes[gk]
		if !ok {
			namespaced = kube.IsNamespacedOrUnknown(s.cache, gk)
		}
		if namespaced && t.GetNamespace() == "" {
			t.SetNamespace(s.opts.namespace)
		} else if !namespaced {
			t.SetNamespace("")
		}
		gvk := t.GroupVersionKind()
		name := t.GetName()
		if name == "" {
			name = t.GetGenerateName()
		}
		annotations := t.GetAnnotations()
		if annotations == nil {
			annotations = map[string]string{}
		}
		annotations[trackingAnnotation] = trackingID(s.opts.namespace, kube.NewResourceKey(gvk.Group, gvk.Kind, t.GetNamespace(), name))
		t.SetAnnotations(annotations)
	}
}

func (s *syncer) state() (common.OperationPhase, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	message := s.message
	if s.lastError != nil && !s.phase.Completed() {
		message = strings.TrimPrefix(message+"; last error: "+s.lastError.Error(), "; ")
	}
	return s.phase, message
}

func (s *syncer) loop(ctx context.Context) {
	for {
		began := time.Now()
		err := s.attempt()
		s.mu.Lock()
		s.lastError = err
		completed := s.phase.Completed()
		s.mu.Unlock()
		if completed {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-s.updated:
		case <-time.After(refreshInterval):
		}
		if wait := minInterval - time.Since(began); wait > 0 {
			time.Sleep(wait)
		}
	}
}

// attempt is one step of the operation: the live state from the cache, the engine's
// reconciliation, and one Sync() of a new sync context that starts from the state so far.
func (s *syncer) attempt() error {
	targets := make([]*unstructured.Unstructured, len(s.targets))
	for i, t := range s.targets {
		targets[i] = t.DeepCopy()
	}
	managed, err := s.cache.GetManagedLiveObjs(targets, s.isManaged)
	if err != nil {
		return err
	}
	live := map[kube.ResourceKey]*unstructured.Unstructured{}
	for key, obj := range managed {
		if obj != nil {
			managed[key] = obj.DeepCopy()
			live[key] = managed[key]
		}
	}
	s.reportHealth(live)

	// The engine applies one phase and wave a step and then calls the wave hook with them (unless
	// an apply failed): the wave of the step's results, which may differ from an object's
	// annotation when the engine moved it ahead of the objects that need it (a Namespace, a CRD).
	var batch *wave
	s.mu.Lock()
	opts := []sync.SyncOpt{
		sync.WithLogr(logr.Discard()),
		sync.WithPrune(s.opts.prune),
		sync.WithInitialState(s.phase, s.message, s.results, metav1.NewTime(s.startedAt)),
		sync.WithSyncWaveHook(func(phase common.SyncPhase, n int, final bool) error {
			batch = &wave{phase: phase, wave: n}
			return delayBetweenSyncWaves(phase, n, final)
		}),
	}
	s.mu.Unlock()
	if s.override != nil {
		opts = append(opts, sync.WithHealthOverride(s.override))
	}
	reconciled := sync.Reconcile(targets, managed, s.opts.namespace, s.cache)
	syncCtx, cleanup, err := sync.NewSyncContext(s.revision, reconciled, s.config, s.config, s.kubectl, s.opts.namespace, s.cache.GetOpenAPISchema(), opts...)
	if err != nil {
		return err
	}
	syncCtx.Sync()
	cleanup()
	phase, message, results := syncCtx.GetState()
	s.reportApplied(results, live, batch)

	s.mu.Lock()
	s.phase, s.message, s.results = phase, message, results
	if phase.Failed() {
		s.message = withFailures(message, results)
	}
	s.mu.Unlock()
	return nil
}

// delayBetweenSyncWaves pauses after every wave but the last, as Argo CD's controller does.
func delayBetweenSyncWaves(_ common.SyncPhase, _ int, finalWave bool) error {
	if !finalWave {
		delay := 2
		if v, err := strconv.Atoi(os.Getenv(envSyncWaveDelay)); err == nil {
			delay = v
		}
		time.Sleep(time.Duration(delay) * time.Second)
	}
	return nil
}

// withFailures adds which objects failed to the engine's message when it does not say.
func withFailures(message string, results []common.ResourceSyncResult) string {
	var failures []string
	for _, r := range results {
		if r.Status == common.ResultCodeSyncFailed || r.HookPhase == common.OperationFailed || r.HookPhase == common.OperationError {
			text := fmt.Sprintf("%s/%s: %s", r.ResourceKey.Kind, r.ResourceKey.Name, r.Message)
			if !strings.Contains(message, r.Message) || r.Message == "" {
				failures = append(failures, text)
			}
		}
	}
	if len(failures) == 0 {
		return message
	}
	return message + " (" + strings.Join(failures, "; ") + ")"
}

type wave struct {
	phase common.SyncPhase
	wave  int
}

// reportApplied writes an apply (or prune) event for each result that shows, for the first time,
// that the engine applied (or created the hook, or pruned) the object, in the engine's order.
func (s *syncer) reportApplied(results []common.ResourceSyncResult, live map[kube.ResourceKey]*unstructured.Unstructured, batch *wave) {
	sort.SliceStable(results, func(i, j int) bool { return results[i].Order < results[j].Order })
	for _, r := range results {
		key := r.ResourceKey.String() + ":" + string(r.SyncPhase)
		if s.reported[key] {
			continue
		}
		event := ""
		switch r.Status {
		case common.ResultCodeSynced:
			event = "apply"
		case common.ResultCodePruned:
			event = "prune"
		default:
			continue
		}
		s.reported[key] = true
		n := 0
		if batch != nil && batch.phase == r.SyncPhase {
			n = batch.wave
		} else if obj := s.objectOf(r, live); obj != nil {
			n = syncwaves.Wave(obj)
		}
		s.out.write(applyEvent{Event: event, Wave: n, Kind: r.ResourceKey.Kind, Name: r.ResourceKey.Name, Phase: string(r.SyncPhase), Hook: r.HookType != ""})
	}
}

// objectOf finds the manifest (or, for a pruned object, the live object) of a result.
func (s *syncer) objectOf(r common.ResourceSyncResult, live map[kube.ResourceKey]*unstructured.Unstructured) *unstructured.Unstructured {
	k := r.ResourceKey
	for _, t := range s.targets {
		gvk := t.GroupVersionKind()
		if gvk.Group != k.Group || gvk.Kind != k.Kind || (t.GetNamespace() != "" && t.GetNamespace() != k.Namespace) {
			continue
		}
		if (r.HookType != "") != hook.IsHook(t) {
			continue
		}
		if t.GetName() == k.Name || (t.GetName() == "" && strings.HasPrefix(k.Name, t.GetGenerateName())) {
			return t
		}
	}
	if obj, ok := live[k]; ok {
		return obj
	}
	k.Namespace = ""
	return live[k]
}

// reportHealth writes a health event for each managed object whose health, as the engine assesses
// it (health.GetResourceHealth with the Lua override), differs from what was last written.
// Objects the engine has no assessment for (a ConfigMap without a script, say) get none.
func (s *syncer) reportHealth(live map[kube.ResourceKey]*unstructured.Unstructured) {
	keys := make([]kube.ResourceKey, 0, len(live))
	for k := range live {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
	for _, k := range keys {
		hs, err := health.GetResourceHealth(live[k], s.override)
		if hs == nil && err != nil {
			hs = &health.HealthStatus{Status: health.HealthStatusUnknown, Message: err.Error()}
		}
		if hs == nil {
			continue
		}
		if last, ok := s.health[k]; ok && last == *hs {
			continue
		}
		s.health[k] = *hs
		s.out.write(healthEvent{Event: "health", Kind: k.Kind, Name: k.Name, Status: string(hs.Status), Message: hs.Message})
	}
	gone := []kube.ResourceKey{}
	for k := range s.health {
		if _, ok := live[k]; !ok {
			gone = append(gone, k)
		}
	}
	sort.Slice(gone, func(i, j int) bool { return gone[i].String() < gone[j].String() })
	for _, k := range gone {
		delete(s.health, k)
		s.out.write(healthEvent{Event: "health", Kind: k.Kind, Name: k.Name, Status: string(health.HealthStatusMissing), Message: "no longer in the cluster"})
	}
}

// reportFinalHealth assesses the objects once more after the operation: the engine does not wait
// for the health of the last wave (Argo CD's application health shows it afterwards).
func (s *syncer) reportFinalHealth() {
	managed, err := s.cache.GetManagedLiveObjs(s.targets, s.isManaged)
	if err != nil {
		return
	}
	live := map[kube.ResourceKey]*unstructured.Unstructured{}
	for key, obj := range managed {
		if obj != nil {
			live[key] = obj.DeepCopy()
		}
	}
	s.reportHealth(live)
}

// ---- output

type applyEvent struct {
	Event string `json:"event"`
	Wave  int    `json:"wave"`
	Kind  string `json:"kind"`
	Name  string `json:"name"`
	Phase string `json:"phase"`
	Hook  bool   `json:"hook"`
}

type healthEvent struct {
	Event   string `json:"event"`
	Kind    string `json:"kind"`
	Name    string `json:"name"`
	Status  string `json:"status"`
	Message string `json:"message"`
}

type resultEvent struct {
	Event   string `json:"event"`
	Phase   string `json:"phase"`
	Message string `json:"message"`
}

// eventWriter writes one JSON object a line; nothing after the result.
type eventWriter struct {
	mu   gosync.Mutex
	enc  *json.Encoder
	done bool
}

func (w *eventWriter) write(v interface{}) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.done {
		_ = w.enc.Encode(v)
	}
}

func (w *eventWriter) result(phase common.OperationPhase, message string) {
	name := string(phase)
	switch phase {
	case common.OperationSucceeded:
	case common.OperationFailed, common.OperationError:
		name = "Failed"
	default:
		name = "Running"
	}
	w.write(resultEvent{Event: "result", Phase: name, Message: message})
	w.mu.Lock()
	w.done = true
	w.mu.Unlock()
}

// ---- Lua health checks, run as Argo CD runs them (argo-cd util/lua)

type luaScript struct {
	source      string
	useOpenLibs bool
}

type luaHealthChecks struct {
	scripts  map[string]luaScript // "<group>/<Kind>", or "<Kind>" for the core group; may hold wildcards
	patterns []string             // the keys with wildcards, sorted
}

const customizationsPrefix = "resource.customizations."

// loadHealthChecks reads Argo CD's argocd-cm settings from a YAML file: a flat mapping of
// settings, a ConfigMap (its data), or argo-cd chart values (argo-cd.configs.cm, or configs.cm).
// It uses the resource.customizations.health.<group>_<Kind> and
// resource.customizations.useOpenLibs.<group>_<Kind> keys.
func loadHealthChecks(path string) (*luaHealthChecks, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("--health: %v", err)
	}
	var doc map[string]interface{}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("--health %s: %v", path, err)
	}
	settings := doc
	for _, nesting := range [][]string{{"argo-cd", "configs", "cm"}, {"configs", "cm"}, {"data"}} {
		if m, ok, _ := unstructured.NestedMap(doc, nesting...); ok {
			settings = m
			break
		}
	}
	checks := &luaHealthChecks{scripts: map[string]luaScript{}}
	openLibs := map[string]bool{}
	for key, value := range settings {
		if !strings.HasPrefix(key, customizationsPrefix) {
			continue
		}
		parts := strings.SplitN(key, ".", 4)
		if len(parts) < 4 {
			continue
		}
		groupKind, err := overrideKey(parts[3])
		if err != nil {
			return nil, fmt.Errorf("--health %s: %s: %v", path, key, err)
		}
		text, ok := value.(string)
		if !ok {
			if b, isBool := value.(bool); isBool && parts[2] == "useOpenLibs" {
				text = strconv.FormatBool(b)
			} else {
				return nil, fmt.Errorf("--health %s: %s is not a string", path, key)
			}
		}
		switch parts[2] {
		case "health":
			script := checks.scripts[groupKind]
			script.source = text
			checks.scripts[groupKind] = script
		case "useOpenLibs":
			b, err := strconv.ParseBool(text)
			if err != nil {
				return nil, fmt.Errorf("--health %s: %s: %v", path, key, err)
			}
			openLibs[groupKind] = b
		}
	}
	for groupKind, script := range checks.scripts {
		script.useOpenLibs = openLibs[groupKind]
		checks.scripts[groupKind] = script
		if strings.ContainsAny(groupKind, "*?") {
			checks.patterns = append(checks.patterns, groupKind)
		}
	}
	sort.Strings(checks.patterns)
	if len(checks.scripts) == 0 {
		return nil, fmt.Errorf("--health %s: no resource.customizations.health.<group>_<Kind> keys", path)
	}
	return checks, nil
}

// overrideKey turns "<group>_<Kind>" or "<Kind>" into Argo CD's "<group>/<Kind>" or "<Kind>".
func overrideKey(groupKind string) (string, error) {
	parts := strings.Split(groupKind, "_")
	switch {
	case len(parts) == 2:
		return parts[0] + "/" + parts[1], nil
	case len(parts) == 1 && groupKind != "":
		return groupKind, nil
	}
	return "", fmt.Errorf("expected <group>_<Kind> or <Kind>, got %q", groupKind)
}

// GetResourceHealth implements health.HealthOverride: nil for kinds without a script, so that the
// engine's built-in assessment applies.
func (c *luaHealthChecks) GetResourceHealth(obj *unstructured.Unstructured) (*health.HealthStatus, error) {
	gvk := obj.GroupVersionKind()
	key := gvk.Kind
	if gvk.Group != "" {
		key = gvk.Group + "/" + gvk.Kind
	}
	script, ok := c.scripts[key]
	if !ok || script.source == "" {
		ok = false
		for _, pattern := range c.patterns {
			if globMatch(pattern, key) && c.scripts[pattern].source != "" {
				script, ok = c.scripts[pattern], true
				break
			}
		}
	}
	if !ok {
		return nil, nil
	}
	return runHealthScript(obj, script)
}

// globMatch matches * (any characters, "/" included) and ? (one character).
func globMatch(pattern, text string) bool {
	expr := regexp.QuoteMeta(pattern)
	expr = strings.ReplaceAll(expr, `\*`, `.*`)
	expr = strings.ReplaceAll(expr, `\?`, `.`)
	matched, err := regexp.MatchString("^"+expr+"$", text)
	return err == nil && matched
}

// runHealthScript runs a script the way Argo CD does: unless useOpenLibs, only the package, base
// and table libraries (no string, math or io) and require("os") giving os.time and os.date; the
// object in the global obj; one second at most; the returned table's status and message.
func runHealthScript(obj *unstructured.Unstructured, script luaScript) (*health.HealthStatus, error) {
	l := lua.NewState(lua.Options{SkipOpenLibs: !script.useOpenLibs})
	defer l.Close()
	if !script.useOpenLibs {
		for _, lib := range []struct {
			name string
			open lua.LGFunction
		}{{lua.LoadLibName, lua.OpenPackage}, {lua.BaseLibName, lua.OpenBase}, {lua.TabLibName, lua.OpenTable}, {lua.OsLibName, lua.OpenOs}} {
			if err := l.CallByParam(lua.P{Fn: l.NewFunction(lib.open), NRet: 0, Protect: true}, lua.LString(lib.name)); err != nil {
				return nil, err
			}
		}
		// keep only os.time and os.date, and only through require("os")
		full, _ := l.GetGlobal(lua.OsLibName).(*lua.LTable)
		safe := l.NewTable()
		if full != nil {
			safe.RawSetString("time", full.RawGetString("time"))
			safe.RawSetString("date", full.RawGetString("date"))
		}
		l.SetGlobal(lua.OsLibName, lua.LNil)
		if loaded, ok := l.GetField(l.Get(lua.RegistryIndex), "_LOADED").(*lua.LTable); ok {
			loaded.RawSetString(lua.OsLibName, lua.LNil)
		}
		l.PreloadModule(lua.OsLibName, func(l *lua.LState) int {
			l.Push(safe)
			return 1
		})
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	l.SetContext(ctx)
	l.SetGlobal("obj", toLua(l, obj.Object))
	if err := l.DoString(script.source); err != nil {
		return nil, err
	}
	returned := l.Get(-1)
	if returned.Type() != lua.LTTable {
		return nil, fmt.Errorf("expect table output from Lua script, not %s", returned.Type().String())
	}
	value, err := fromLua(returned)
	if err != nil {
		return nil, err
	}
	encoded, err := json.Marshal(value)
	if err != nil {
		return nil, err
	}
	status := &health.HealthStatus{}
	if err := json.Unmarshal(encoded, status); err != nil {
		return nil, err
	}
	switch status.Status {
	case health.HealthStatusUnknown, health.HealthStatusProgressing, health.HealthStatusSuspended,
		health.HealthStatusHealthy, health.HealthStatusDegraded, health.HealthStatusMissing:
		return status, nil
	}
	return &health.HealthStatus{Status: health.HealthStatusUnknown, Message: "Lua returned an invalid health status"}, nil
}

func toLua(l *lua.LState, value interface{}) lua.LValue {
	switch v := value.(type) {
	case bool:
		return lua.LBool(v)
	case float64:
		return lua.LNumber(v)
	case int64:
		return lua.LNumber(v)
	case int32:
		return lua.LNumber(v)
	case int:
		return lua.LNumber(v)
	case string:
		return lua.LString(v)
	case json.Number:
		return lua.LString(v)
	case []interface{}:
		t := l.CreateTable(len(v), 0)
		for _, item := range v {
			t.Append(toLua(l, item))
		}
		return t
	case map[string]interface{}:
		t := l.CreateTable(0, len(v))
		for key, item := range v {
			t.RawSetH(lua.LString(key), toLua(l, item))
		}
		return t
	}
	return lua.LNil
}

// fromLua converts a returned value for JSON as Argo CD's encoder does: a table with keys 1..n is
// an array (an empty table too), one with string keys an object.
func fromLua(value lua.LValue) (interface{}, error) {
	switch v := value.(type) {
	case *lua.LNilType:
		return nil, nil
	case lua.LBool:
		return bool(v), nil
	case lua.LNumber:
		return float64(v), nil
	case lua.LString:
		return string(v), nil
	case *lua.LTable:
		if n := v.MaxN(); n > 0 || isEmpty(v) {
			items := make([]interface{}, 0, n)
			for i := 1; i <= n; i++ {
				item, err := fromLua(v.RawGetInt(i))
				if err != nil {
					return nil, err
				}
				items = append(items, item)
			}
			return items, nil
		}
		object := map[string]interface{}{}
		var failure error
		v.ForEach(func(key, item lua.LValue) {
			if failure != nil {
				return
			}
			name, ok := key.(lua.LString)
			if !ok {
				failure = fmt.Errorf("cannot encode a table with a %s key", key.Type().String())
				return
			}
			object[string(name)], failure = fromLua(item)
		})
		return object, failure
	}
	return nil, fmt.Errorf("cannot encode a %s", value.Type().String())
}

func isEmpty(t *lua.LTable) bool {
	key, _ := t.Next(lua.LNil)
	return key == lua.LNil
}
