package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"attache"
	"attache/answer"
)

func (e *env) summarizeCommand() *cobra.Command {
	var (
		doc, topic string
		asJSON     bool
		dates      attache.DateRange
	)
	cmd := &cobra.Command{
		Use:   "summarize (--doc ID|PATH | --topic TEXT | --since DATE [--until DATE] [--topic TEXT])",
		Short: "Summarise one article, a topic across articles, or the articles of a date range",
		Args:  args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkDates(dates); err != nil {
				return err
			}
			if doc != "" && (topic != "" || dates != (attache.DateRange{})) {
				return usageError{fmt.Errorf("--doc cannot be combined with --topic, --since or --until")}
			}
			if doc == "" && strings.TrimSpace(topic) == "" && dates == (attache.DateRange{}) {
				return usageError{fmt.Errorf("say what to summarise: --doc, --topic, or --since/--until")}
			}
			ctx := cmd.Context()
			a, err := e.openFresh(ctx)
			if err != nil {
				return err
			}
			defer a.Close()
			req := answer.SummaryRequest{Topic: topic, Dates: dates}
			if doc != "" {
				if req.DocID, err = a.resolveDoc(ctx, doc); err != nil {
					return err
				}
			}
			sum, err := a.answers.Summarize(ctx, req)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(e.stdout, sum)
			}
			fmt.Fprintf(e.stdout, "%s\n\n", sum.Question)
			printAnswer(e, sum)
			return nil
		},
	}
	cmd.Flags().StringVar(&doc, "doc", "", "document ID (source/path), path relative to its source, or file path")
	cmd.Flags().StringVar(&topic, "topic", "", "topic to summarise across articles")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	dateFlags(cmd, &dates)
	return cmd
}

func (e *env) timelineCommand() *cobra.Command {
	var (
		asJSON bool
		dates  attache.DateRange
	)
	cmd := &cobra.Command{
		Use:   "timeline [flags] TOPIC",
		Short: "List dated events on a topic in chronological order, each cited",
		Args:  args(cobra.MinimumNArgs(1)),
		RunE: func(cmd *cobra.Command, argv []string) error {
			if err := checkDates(dates); err != nil {
				return err
			}
			ctx := cmd.Context()
			a, err := e.openFresh(ctx)
			if err != nil {
				return err
			}
			defer a.Close()
			tl, err := a.answers.Timeline(ctx, answer.TimelineRequest{Topic: strings.Join(argv, " "), Dates: dates})
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(e.stdout, tl)
			}
			fmt.Fprintf(e.stdout, "%s\n\n", tl.Question)
			printAnswer(e, tl.Answer)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	dateFlags(cmd, &dates)
	return cmd
}
