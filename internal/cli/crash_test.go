package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"vigil/internal/store"
	"vigil/internal/store/sqlstore"
)

// buildVigil builds the vigil binary once for the crash tests.
var buildVigil = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "vigil-bin-")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "vigil")
	out, err := exec.Command("go", "build", "-o", bin, "vigil/cmd/vigil").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
})

func vigilBinary(t *testing.T) string {
	if testing.Short() {
		t.Skip("builds the binary and kills it: not in -short")
	}
	bin, err := buildVigil()
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

// TestServeSurvivesKill9 posts reports from several clients to a real
// "vigil serve", kills it with SIGKILL mid-write, and checks that every
// report it acknowledged (201) is in the store afterwards and the SQLite
// file is sound; three times over on the same file.
func TestServeSurvivesKill9(t *testing.T) {
	bin := vigilBinary(t)
	dbPath := filepath.Join(t.TempDir(), "vigil.db")
	// The clients submit with an API key, since anonymous submissions are
	// rate-limited to a few per client network, and label their reports
	// CLEAR (a key's default is GREEN), so that each counts and joins a
	// network, which the check at the end looks for.
	org := addOrg(t, dbPath, "crash test")
	key := regexp.MustCompile(`vgk_\S+`).FindString(mustRun(t, ExitOK, "key", "create", "--db", dbPath, "--org", org, "--name", "crash test", "--perm", "report.submit").stdout)
	if key == "" {
		t.Fatal("key create printed no key")
	}
	var acked []string
	for round := range 3 {
		cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--db", dbPath)
		stderr, _ := cmd.StderrPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		base := waitURL(t, stderr)
		var mu sync.Mutex
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for w := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				client := &http.Client{Timeout: 5 * time.Second}
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					body := fmt.Sprintf(`{"scam_type":"investment","tlp":"CLEAR","narrative":"round %d worker %d report %d: pay to TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp, wechat w%d_scammer%d"}`, round, w, i, w, i%7)
					req, _ := http.NewRequest("POST", base+"/api/v1/reports", strings.NewReader(body))
					req.Header.Set("Content-Type", "application/json")
					req.Header.Set("Authorization", "Bearer "+key)
					res, err := client.Do(req)
					if err != nil {
						return // the server died
					}
					var r struct{ ID string }
					json.NewDecoder(res.Body).Decode(&r)
					res.Body.Close()
					if res.StatusCode == 201 {
						mu.Lock()
						acked = append(acked, r.ID)
						mu.Unlock()
					}
				}
			}()
		}
		time.Sleep(time.Duration(300+200*round) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		close(stop)
		wg.Wait()
	}
	if len(acked) < 20 {
		t.Fatalf("only %d reports acknowledged before the kills: the test proves little", len(acked))
	}
	db, err := sqlstore.Open(context.Background(), dbPath, sqlstore.Options{Keys: cliKeys(t, dbPath)})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if s, err := db.IntegrityCheck(context.Background()); s != "ok" || err != nil {
		t.Fatalf("integrity_check: %q %v", s, err)
	}
	missing := 0
	for _, id := range acked {
		r, err := db.Report(context.Background(), store.Viewer{All: true}, id)
		if err != nil {
			missing++
			t.Errorf("acknowledged report %s: %v", id, err)
			continue
		}
		if r.NetworkID == "" || len(r.Indicators) == 0 {
			t.Errorf("report %s is half-written: %+v", id, r)
		}
	}
	t.Logf("%d acknowledged reports over 3 kills, %d missing", len(acked), missing)
}

func waitURL(t *testing.T, r io.Reader) string {
	t.Helper()
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(r)
		re := regexp.MustCompile(`url=(http://\S+)`)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
				break
			}
		}
		io.Copy(io.Discard, r)
	}()
	select {
	case u := <-found:
		return u
	case <-time.After(30 * time.Second):
		t.Fatal("vigil serve did not start")
	}
	return ""
}

// TestImportSurvivesKill9 kills "vigil import" of a report file at
// different moments, runs it again each time, and checks that in the end
// every row is stored exactly once and the file is sound.
func TestImportSurvivesKill9(t *testing.T) {
	bin := vigilBinary(t)
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "vigil.db")
	const rows = 6000
	var b strings.Builder
	for i := range rows {
		fmt.Fprintf(&b, `{"scam_type":"task","narrative":"刷单 row %d, 加微信 task_boss%03d","reporter":"ngo-%d"}`+"\n", i, i%300, i%40)
	}
	file := filepath.Join(dir, "reports.jsonl")
	if err := os.WriteFile(file, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	kills, finished := 0, false
	for attempt := range 6 {
		cmd := exec.Command(bin, "import", "--db", dbPath, "--batch", "200", "--progress", "never", file)
		out, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan string, 1)
		go func() { b, _ := io.ReadAll(out); done <- string(b) }()
		timer := time.AfterFunc(time.Duration(150+120*attempt)*time.Millisecond, func() { cmd.Process.Signal(syscall.SIGKILL) })
		err := cmd.Wait()
		timer.Stop()
		text := <-done
		if err == nil {
			if !strings.Contains(text, "records") && !strings.Contains(text, "already imported") {
				t.Fatalf("import finished without a summary: %s", text)
			}
			finished = true
			break
		}
		kills++
	}
	if kills == 0 {
		t.Fatal("the import was never killed: the test proves little")
	}
	if !finished {
		// The kills came too early for the import ever to finish: resume
		// it without one.
		if out, err := exec.Command(bin, "import", "--db", dbPath, "--progress", "never", file).CombinedOutput(); err != nil {
			t.Fatalf("resumed import: %v\n%s", err, out)
		}
	}
	// Importing a finished file again changes nothing.
	out, err := exec.Command(bin, "import", "--db", dbPath, "--progress", "never", file).CombinedOutput()
	if err != nil {
		t.Fatalf("import again: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "already imported") {
		t.Errorf("a finished import run again should change nothing; said:\n%s", out)
	}
	db, err := sqlstore.Open(context.Background(), dbPath, sqlstore.Options{Keys: cliKeys(t, dbPath)})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if s, err := db.IntegrityCheck(context.Background()); s != "ok" || err != nil {
		t.Fatalf("integrity_check: %q %v", s, err)
	}
	n, err := db.CountReports(context.Background())
	if err != nil || n != rows {
		t.Errorf("%d reports stored after %d kills, want exactly %d (%v)", n, kills, rows, err)
	}
	t.Logf("%d kills before the import completed", kills)
}
