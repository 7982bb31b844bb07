package api

import "os"

var osReadFile = os.ReadFile
