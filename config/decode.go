package config

import (
	"fmt"
	"maps"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// secretKeys are the keys whose values must never be shown.
var secretKeys = map[string]bool{
	"llm.api_key":        true,
	"embeddings.api_key": true,
	"discord.token":      true,
	"index.dsn":          true,
	"console.salt":       true,
	"console.token":      true,
}

// sourcesKey is the only key whose value is a list of records.
const sourcesKey = "knowledge.sources"

var (
	durationType = reflect.TypeFor[time.Duration]()
	sourcesType  = reflect.TypeFor[[]Source]()
	stringsType  = reflect.TypeFor[[]string]()
	intsType     = reflect.TypeFor[[]int]()
)

// leaf is one settable key of Config.
type leaf struct {
	key   string
	index []int
	typ   reflect.Type
}

// leaves lists every key of Config that holds a value, in declaration order.
// knowledge.sources is a leaf: its items are decoded by decodeSources.
func leaves() []leaf {
	var out []leaf
	var walk func(prefix string, t reflect.Type, index []int)
	walk = func(prefix string, t reflect.Type, index []int) {
		for i := range t.NumField() {
			f := t.Field(i)
			name := f.Tag.Get("mapstructure")
			if name == "" || name == "-" {
				continue
			}
			key := prefix + name
			idx := append(slices.Clone(index), i)
			if f.Type.Kind() == reflect.Struct && f.Type != durationType {
				walk(key+".", f.Type, idx)
				continue
			}
			out = append(out, leaf{key: key, index: idx, typ: f.Type})
		}
	}
	walk("", reflect.TypeFor[Config](), nil)
	return out
}

// deprecatedBy returns the key that replaced l, "" when l is current.
func deprecatedBy(l leaf) string {
	t := reflect.TypeFor[Config]()
	return t.FieldByIndex(l.index).Tag.Get("deprecated")
}

// envName is the environment variable of a key.
func envName(key string) string {
	return "ATTACHE_" + strings.ToUpper(strings.ReplaceAll(key, ".", "_"))
}

// fieldByTag returns the struct field of t whose mapstructure tag is name.
func fieldByTag(t reflect.Type, name string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		if tag := f.Tag.Get("mapstructure"); tag != "" && tag != "-" && strings.EqualFold(tag, name) {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

// checkDocument walks the parsed file against Config and reports every key
// that Config does not have, and every section that is not a mapping. It
// returns false when the file is not a mapping at all.
func checkDocument(doc *yaml.Node, problems *[]string) bool {
	if doc.Kind == yaml.DocumentNode && len(doc.Content) > 0 {
		doc = doc.Content[0]
	}
	if doc.Kind == 0 || isNull(doc) {
		return true // empty file
	}
	if doc.Kind != yaml.MappingNode {
		*problems = append(*problems, fmt.Sprintf("top level: expected a mapping of keys (line %d)", doc.Line))
		return false
	}
	checkNode("", doc, reflect.TypeFor[Config](), problems)
	return true
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.Tag == "!!null" }

func checkNode(prefix string, n *yaml.Node, t reflect.Type, problems *[]string) {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	if isNull(n) {
		return
	}
	switch {
	case t.Kind() == reflect.Struct && t != durationType:
		if n.Kind != yaml.MappingNode {
			*problems = append(*problems, fmt.Sprintf("%s: expected a mapping of keys (line %d)", strings.TrimSuffix(prefix, "."), n.Line))
			return
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			if k.Value == "<<" { // YAML merge key
				if val.Kind == yaml.SequenceNode {
					for _, item := range val.Content {
						checkNode(prefix, item, t, problems)
					}
				} else {
					checkNode(prefix, val, t, problems)
				}
				continue
			}
			f, ok := fieldByTag(t, k.Value)
			if !ok {
				*problems = append(*problems, fmt.Sprintf("%s%s: unknown key (line %d)", prefix, k.Value, k.Line))
				continue
			}
			checkNode(prefix+k.Value+".", val, f.Type, problems)
		}
	case t.Kind() == reflect.Map && n.Kind == yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			checkNode(prefix+n.Content[i].Value+".", n.Content[i+1], t.Elem(), problems)
		}
	case t == sourcesType && n.Kind == yaml.SequenceNode:
		key := strings.TrimSuffix(prefix, ".")
		for i, item := range n.Content {
			checkNode(fmt.Sprintf("%s[%d].", key, i), item, t.Elem(), problems)
		}
	}
}

// asMap accepts the map types a YAML decoder may produce.
func asMap(raw any) (map[string]any, bool) {
	switch m := raw.(type) {
	case map[string]any:
		return m, true
	case map[any]any:
		out := make(map[string]any, len(m))
		for k, v := range m {
			out[strings.ToLower(fmt.Sprint(k))] = v
		}
		return out, true
	}
	return nil, false
}

// decodeValue converts raw (from YAML, or a string from the environment or a
// flag) to the type of dst and stores it. It returns a problem "key: reason",
// or "" on success. The value of a secret key is never quoted.
func decodeValue(key string, raw any, dst reflect.Value) string {
	secret := secretKeys[key]
	got := func() string {
		if secret {
			return ""
		}
		return fmt.Sprintf(", got %s", describe(raw))
	}
	t := dst.Type()
	switch {
	case t == durationType:
		s, ok := raw.(string)
		if !ok {
			return fmt.Sprintf("%s: expected a duration with a unit such as \"1.5s\" or \"2m\"%s", key, got())
		}
		d, err := time.ParseDuration(strings.TrimSpace(s))
		if err != nil {
			return fmt.Sprintf("%s: expected a duration with a unit such as \"1.5s\" or \"2m\"%s", key, got())
		}
		dst.SetInt(int64(d))
	case t == stringsType:
		list, ok := toStrings(raw)
		if !ok {
			return fmt.Sprintf("%s: expected a list of strings%s", key, got())
		}
		dst.Set(reflect.ValueOf(list))
	case t == intsType:
		list, ok := toInts(raw)
		if !ok {
			return fmt.Sprintf("%s: expected a list of whole numbers%s", key, got())
		}
		dst.Set(reflect.ValueOf(list))
	case t.Kind() == reflect.String:
		s, ok := toString(raw)
		if !ok {
			return fmt.Sprintf("%s: expected a string%s", key, got())
		}
		dst.SetString(s)
	case t.Kind() == reflect.Bool:
		switch v := raw.(type) {
		case bool:
			dst.SetBool(v)
		case string:
			b, err := strconv.ParseBool(strings.TrimSpace(v))
			if err != nil {
				return fmt.Sprintf("%s: expected true or false%s", key, got())
			}
			dst.SetBool(b)
		default:
			return fmt.Sprintf("%s: expected true or false%s", key, got())
		}
	case t.Kind() == reflect.Int || t.Kind() == reflect.Int64:
		n, ok := toInt(raw)
		if !ok || dst.OverflowInt(n) {
			return fmt.Sprintf("%s: expected a whole number%s", key, got())
		}
		dst.SetInt(n)
	case t.Kind() == reflect.Float64:
		f, ok := toFloat(raw)
		if !ok {
			return fmt.Sprintf("%s: expected a number%s", key, got())
		}
		dst.SetFloat(f)
	default:
		return fmt.Sprintf("%s: unsupported setting type %s", key, t)
	}
	return ""
}

// describe quotes a raw value for an error message, briefly.
func describe(raw any) string {
	switch v := raw.(type) {
	case string:
		if len(v) > 40 {
			v = v[:40] + "…"
		}
		return strconv.Quote(v)
	case map[string]any, map[any]any:
		return "a mapping"
	case []any:
		return "a list"
	}
	return fmt.Sprint(raw)
}

func toString(raw any) (string, bool) {
	switch v := raw.(type) {
	case string:
		return v, true
	case int, int64, uint64:
		return fmt.Sprint(v), true
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64), true
	}
	return "", false
}

// toStrings accepts a YAML list of scalars, or a comma-separated string. An
// empty list is nil.
func toStrings(raw any) ([]string, bool) {
	switch v := raw.(type) {
	case []string:
		if len(v) == 0 {
			return nil, true
		}
		return slices.Clone(v), true
	case string:
		return splitList(v), true
	case []any:
		var out []string
		for _, item := range v {
			s, ok := toString(item)
			if !ok {
				return nil, false
			}
			out = append(out, s)
		}
		return out, true
	}
	return nil, false
}

// toInts accepts a YAML list of whole numbers, or a comma-separated
// string of them. An empty list is nil.
func toInts(raw any) ([]int, bool) {
	var items []any
	switch v := raw.(type) {
	case []int:
		if len(v) == 0 {
			return nil, true
		}
		return slices.Clone(v), true
	case string:
		for _, s := range splitList(v) {
			items = append(items, s)
		}
	case []any:
		items = v
	default:
		return nil, false
	}
	var out []int
	for _, item := range items {
		n, ok := toInt(item)
		if !ok || n < math.MinInt32 || n > math.MaxInt32 {
			return nil, false
		}
		out = append(out, int(n))
	}
	return out, true
}

// splitList splits a comma-separated value, trimming blanks and dropping
// empty items. An empty list is nil.
func splitList(s string) []string {
	var out []string
	for item := range strings.SplitSeq(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

func toInt(raw any) (int64, bool) {
	switch v := raw.(type) {
	case int:
		return int64(v), true
	case int64:
		return v, true
	case uint64:
		if v > math.MaxInt64 {
			return 0, false
		}
		return int64(v), true
	case float64:
		if v != math.Trunc(v) || v > math.MaxInt64 || v < math.MinInt64 {
			return 0, false
		}
		return int64(v), true
	case string:
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		return n, err == nil
	}
	return 0, false
}

func toFloat(raw any) (float64, bool) {
	var f float64
	switch v := raw.(type) {
	case int:
		f = float64(v)
	case int64:
		f = float64(v)
	case uint64:
		f = float64(v)
	case float64:
		f = v
	case string:
		var err error
		if f, err = strconv.ParseFloat(strings.TrimSpace(v), 64); err != nil {
			return 0, false
		}
	default:
		return 0, false
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

// decodeRecord decodes the fields of one record (a pointer to a struct)
// from a mapping; unknown keys are reported by checkDocument.
func decodeRecord(prefix string, m map[string]any, rec any, problems *[]string) {
	rv := reflect.ValueOf(rec).Elem()
	t := rv.Type()
	for _, k := range slices.Sorted(maps.Keys(m)) {
		v := m[k]
		f, ok := fieldByTag(t, k)
		if !ok || v == nil {
			continue
		}
		if p := decodeValue(prefix+"."+k, v, rv.FieldByIndex(f.Index)); p != "" {
			*problems = append(*problems, p)
		}
	}
}

// decodeSources decodes the knowledge.sources list from the file.
func decodeSources(raw any, problems *[]string) []Source {
	items, ok := raw.([]any)
	if !ok {
		*problems = append(*problems, sourcesKey+": expected a list of sources")
		return nil
	}
	out := make([]Source, 0, len(items))
	for i, item := range items {
		prefix := fmt.Sprintf("%s[%d]", sourcesKey, i)
		m, ok := asMap(item)
		if !ok {
			*problems = append(*problems, prefix+": expected a mapping with name and path")
			continue
		}
		var s Source
		decodeRecord(prefix, m, &s, problems)
		out = append(out, s)
	}
	return out
}
