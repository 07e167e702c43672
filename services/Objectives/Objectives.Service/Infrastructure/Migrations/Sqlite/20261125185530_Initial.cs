using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PerfPlatform.Objectives.Infrastructure.Migrations.Sqlite
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    MessageId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Type = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    Payload = table.Column<string>(type: "TEXT", nullable: false),
                    OccurredAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    DispatchedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: true),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    LastError = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_outbox_messages", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "plan_years",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Year = table.Column<int>(type: "INTEGER", nullable: false),
                    EntityName = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    MandateStartYear = table.Column<int>(type: "INTEGER", nullable: false),
                    MandateEndYear = table.Column<int>(type: "INTEGER", nullable: false),
                    Version = table.Column<long>(type: "INTEGER", nullable: false),
                    DeclaredEntityLevel = table.Column<string>(type: "TEXT", maxLength: 8, nullable: true),
                    SourceDocument = table.Column<string>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_plan_years", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "realization_entries",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    PlanYearId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OperationalObjectiveId = table.Column<Guid>(type: "TEXT", nullable: true),
                    StrategicObjectiveId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Realization = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    AsOf = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Note = table.Column<string>(type: "TEXT", nullable: true),
                    RecordedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    RecordedBy = table.Column<string>(type: "TEXT", nullable: false),
                    Source = table.Column<string>(type: "TEXT", nullable: false),
                    Version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_realization_entries", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "areas",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    PlanYearId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Number = table.Column<int>(type: "INTEGER", nullable: false),
                    Name = table.Column<string>(type: "TEXT", nullable: false),
                    Footnote = table.Column<string>(type: "TEXT", nullable: true),
                    DeclaredMean = table.Column<string>(type: "TEXT", maxLength: 8, nullable: true)
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
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    PlanYearId = table.Column<Guid>(type: "TEXT", nullable: false),
                    AreaId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Code = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Title = table.Column<string>(type: "TEXT", nullable: false),
                    Position = table.Column<int>(type: "INTEGER", nullable: false),
                    Realization = table.Column<string>(type: "TEXT", maxLength: 8, nullable: true),
                    Declared = table.Column<string>(type: "TEXT", maxLength: 8, nullable: true)
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
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    PlanYearId = table.Column<Guid>(type: "TEXT", nullable: false),
                    StrategicObjectiveId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Position = table.Column<int>(type: "INTEGER", nullable: false),
                    Title = table.Column<string>(type: "TEXT", nullable: false),
                    Bes = table.Column<int>(type: "INTEGER", nullable: false),
                    CrossCutting = table.Column<bool>(type: "INTEGER", nullable: false),
                    InterSectorNote = table.Column<string>(type: "TEXT", nullable: true),
                    FundingReferences = table.Column<string>(type: "TEXT", nullable: false),
                    Sectors = table.Column<string>(type: "TEXT", nullable: false),
                    Weight = table.Column<decimal>(type: "TEXT", precision: 18, scale: 4, nullable: false),
                    Realization = table.Column<string>(type: "TEXT", maxLength: 8, nullable: true),
                    Indicators = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_operational_objectives", x => x.Id);
                    table.ForeignKey(
                        name: "FK_operational_objectives_strategic_objectives_StrategicObjectiveId",
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
