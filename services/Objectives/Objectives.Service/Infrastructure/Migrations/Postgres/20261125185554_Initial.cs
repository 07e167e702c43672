using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace PerfPlatform.Objectives.Infrastructure.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "outbox_messages",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    MessageId = table.Column<Guid>(type: "uuid", nullable: false),
                    Type = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    Payload = table.Column<string>(type: "text", nullable: false),
                    OccurredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    DispatchedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    LastError = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_outbox_messages", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "plan_years",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Year = table.Column<int>(type: "integer", nullable: false),
                    EntityName = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    MandateStartYear = table.Column<int>(type: "integer", nullable: false),
                    MandateEndYear = table.Column<int>(type: "integer", nullable: false),
                    Version = table.Column<long>(type: "bigint", nullable: false),
                    DeclaredEntityLevel = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: true),
                    SourceDocument = table.Column<string>(type: "text", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_plan_years", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "realization_entries",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    PlanYearId = table.Column<Guid>(type: "uuid", nullable: false),
                    OperationalObjectiveId = table.Column<Guid>(type: "uuid", nullable: true),
                    StrategicObjectiveId = table.Column<Guid>(type: "uuid", nullable: true),
                    Realization = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    AsOf = table.Column<DateOnly>(type: "date", nullable: false),
                    Note = table.Column<string>(type: "text", nullable: true),
                    RecordedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    RecordedBy = table.Column<string>(type: "text", nullable: false),
                    Source = table.Column<string>(type: "text", nullable: false),
                    Version = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_realization_entries", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "areas",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    PlanYearId = table.Column<Guid>(type: "uuid", nullable: false),
                    Number = table.Column<int>(type: "integer", nullable: false),
                    Name = table.Column<string>(type: "text", nullable: false),
                    Footnote = table.Column<string>(type: "text", nullable: true),
                    DeclaredMean = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_areas", x => x.Id);
                    table.ForeignKey(
                        name: "FK_areas_plan_years_PlanYearId",
                        column: x => x.PlanYearId,
                        principalTable: "plan_years",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "strategic_objectives",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    PlanYearId = table.Column<Guid>(type: "uuid", nullable: false),
                    AreaId = table.Column<Guid>(type: "uuid", nullable: false),
                    Code = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Title = table.Column<string>(type: "text", nullable: false),
                    Position = table.Column<int>(type: "integer", nullable: false),
                    Realization = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: true),
                    Declared = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_strategic_objectives", x => x.Id);
                    table.ForeignKey(
                        name: "FK_strategic_objectives_areas_AreaId",
                        column: x => x.AreaId,
                        principalTable: "areas",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "operational_objectives",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    PlanYearId = table.Column<Guid>(type: "uuid", nullable: false),
                    StrategicObjectiveId = table.Column<Guid>(type: "uuid", nullable: false),
                    Position = table.Column<int>(type: "integer", nullable: false),
                    Title = table.Column<string>(type: "text", nullable: false),
                    Bes = table.Column<int>(type: "integer", nullable: false),
                    CrossCutting = table.Column<bool>(type: "boolean", nullable: false),
                    InterSectorNote = table.Column<string>(type: "text", nullable: true),
                    FundingReferences = table.Column<List<string>>(type: "text[]", nullable: false),
                    Sectors = table.Column<List<string>>(type: "text[]", nullable: false),
                    Weight = table.Column<decimal>(type: "numeric(18,4)", precision: 18, scale: 4, nullable: false),
                    Realization = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: true),
                    Indicators = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_operational_objectives", x => x.Id);
                    table.ForeignKey(
                        name: "FK_operational_objectives_strategic_objectives_StrategicObject~",
                        column: x => x.StrategicObjectiveId,
                        principalTable: "strategic_objectives",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_areas_PlanYearId_Number",
                table: "areas",
                columns: new[] { "PlanYearId", "Number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_operational_objectives_PlanYearId",
                table: "operational_objectives",
                column: "PlanYearId");

            migrationBuilder.CreateIndex(
                name: "IX_operational_objectives_StrategicObjectiveId",
                table: "operational_objectives",
                column: "StrategicObjectiveId");

            migrationBuilder.CreateIndex(
                name: "IX_outbox_messages_DispatchedAt",
                table: "outbox_messages",
                column: "DispatchedAt");

            migrationBuilder.CreateIndex(
                name: "IX_outbox_messages_MessageId",
                table: "outbox_messages",
                column: "MessageId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_plan_years_Year",
                table: "plan_years",
                column: "Year",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_realization_entries_OperationalObjectiveId",
                table: "realization_entries",
                column: "OperationalObjectiveId");

            migrationBuilder.CreateIndex(
                name: "IX_realization_entries_PlanYearId",
                table: "realization_entries",
                column: "PlanYearId");

            migrationBuilder.CreateIndex(
                name: "IX_realization_entries_StrategicObjectiveId",
                table: "realization_entries",
                column: "StrategicObjectiveId");

            migrationBuilder.CreateIndex(
                name: "IX_strategic_objectives_AreaId",
                table: "strategic_objectives",
                column: "AreaId");

            migrationBuilder.CreateIndex(
                name: "IX_strategic_objectives_PlanYearId_Code",
                table: "strategic_objectives",
                columns: new[] { "PlanYearId", "Code" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "operational_objectives");

            migrationBuilder.DropTable(
                name: "outbox_messages");

            migrationBuilder.DropTable(
                name: "realization_entries");

            migrationBuilder.DropTable(
                name: "strategic_objectives");

            migrationBuilder.DropTable(
                name: "areas");

            migrationBuilder.DropTable(
                name: "plan_years");
        }
    }
}
