"""One method per message type, written once for both clients.

`MessageMethods[R]` is generic in what a call returns: `JobResponse` for WorkerClient, a
coroutine that gives a `JobResponse` for AsyncWorkerClient. Each method is a one-liner over
the client's `_enqueue`, which validates, sends and retries (see _core).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Generic, Literal, TypeVar, overload

from typing_extensions import Unpack

from ._models import JobOptions, RequestOptions
from .types import (
    AnalyticsCollectionRequestMessage,
    BackendLoggingEventMessage,
    EkgEdgeBatchCreateCompletedMessage,
    EkgEdgeBatchCreateRequestMessage,
    EtsyAnalyticsSyncCompletedMessage,
    EtsyAnalyticsSyncRequestMessage,
    EtsyPublishListingCompletedMessage,
    EtsyPublishListingRequestMessage,
    FileDownloadCompletedMessage,
    FileDownloadRequestMessage,
    FileVectorizeCompletedMessage,
    FileVectorizeRequestMessage,
    IpCheckCompletedMessage,
    IpCheckRequestMessage,
    MarketplaceAnalyticsSyncCompletedMessage,
    MarketplaceAnalyticsSyncRequestMessage,
    MarketplaceConnectionSyncCompletedMessage,
    MarketplaceConnectionSyncRequestMessage,
    MarketplaceCredentialRotationCompletedMessage,
    MarketplaceCredentialRotationRequestMessage,
    MarketplaceIntelligenceCompletedMessage,
    MarketplaceIntelligenceEventMessage,
    MarketplaceIntelligenceRequestMessage,
    MarketplaceListingDescriptionGenerationCompletedMessage,
    MarketplaceListingDescriptionGenerationRequestMessage,
    MarketplaceListingSyncCompletedMessage,
    MarketplaceListingSyncRequestMessage,
    MarketplaceListingTagsGenerationCompletedMessage,
    MarketplaceListingTagsGenerationRequestMessage,
    MarketplaceListingTitleGenerationCompletedMessage,
    MarketplaceListingTitleGenerationRequestMessage,
    MarketplaceListingUpdateCompletedMessage,
    MarketplaceListingUpdateRequestMessage,
    MarketplacePublishListingCompletedMessage,
    MarketplacePublishListingRequestMessage,
    MediaBatchDownloadCompletedMessage,
    MediaBatchDownloadRequestMessage,
    MetamodelMetadataGenerationCompletedMessage,
    MetamodelMetadataGenerationRequestMessage,
    ModelAnalyticsCollectionRequestMessage,
    ModelDiscoveryFolderProcessedEventMessage,
    ModelDiscoveryScanFoundEventMessage,
    ModelDiscoveryScanProgressEventMessage,
    ModelDiscoveryScanRequestMessage,
    ModelFinderIndexRequestMessage,
    ModelFinderResponseMessage,
    ModelFinderSearchRequestMessage,
    ModelMetadataGenerationCompletedMessage,
    ModelMetadataGenerationRequestMessage,
    ModelMetamodelDetectionFoundMessage,
    ModelMetamodelDetectionRequestMessage,
    ModelPrintAnalysisCompletedMessage,
    ModelPrintAnalysisRequestMessage,
    ModelSellabilityAnalysisCompletedMessage,
    ModelSellabilityAnalysisRequestMessage,
    ModelSemanticAnalysisCompletedMessage,
    ModelSemanticAnalysisRequestMessage,
    ModelTechnicalMetadataCompletedMessage,
    ModelTechnicalMetadataRequestMessage,
    SlicingFdmRequestMessage,
    SlicingFdmResultMessage,
    SlicingSimulationRequestMessage,
    SlicingSimulationResultMessage,
    SlicingSlaRequestMessage,
    SlicingSlaResultMessage,
    ThumbnailGenerationCompletedMessage,
    ThumbnailGenerationRequestMessage,
    UserEngagementEventMessage,
    WorkerAnalyticsEventMessage,
    WorkerMetricsEnrichedEventMessage,
)

R = TypeVar("R")


class MessageMethods(Generic[R]):
    """send_to_queue, typed per message type, and the per-message shortcuts."""

    def _enqueue(
        self,
        message_type: str,
        payload: Mapping[str, Any],
        opts: JobOptions | None,
        options: RequestOptions,
    ) -> R:
        raise NotImplementedError

    @overload
    def send_to_queue(
        self,
        message_type: Literal["analytics-collection-request"],
        payload: AnalyticsCollectionRequestMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R: ...

    @overload
    def send_to_queue(
        self,
        message_type: Literal["backend-logging-event"],
        payload: BackendLoggingEventMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R: ...

    @overload
    def send_to_queue(
        self,
        message_type: Literal["ekg-edge-batch-create-completed"],
        payload: EkgEdgeBatchCreateCompletedMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R: ...

    @overload
    def send_to_queue(
        self,
        message_type: Literal["ekg-edge-batch-create-request"],
        payload: EkgEdgeBatchCreateRequestMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R: ...

    @overload
    def send_to_queue(
        self,
        message_type: Literal["etsy-analytics-sync-completed"],
        payload: EtsyAnalyticsSyncCompletedMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R: ...

    @overload
    def send_to_queue(
        self,
        message_type: Literal["etsy-analytics-sync-request"],
        payload: EtsyAnalyticsSyncRequestMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R: ...

    @overload
    def send_to_queue(
        self,
        message_type: Literal["etsy-publish-listing-completed"],
        payload: EtsyPublishListingCompletedMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R: ...

    @overload
    def send_to_queue(
        self,
        message_type: Literal["etsy-publish-listing-request"],
        payload: EtsyPublishListingRequestMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R: ...

    @overload
    def send_to_queue(
        self,
        message_type: Literal["file-download-completed"],
        payload: FileDownloadCompletedMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R: ...

    @overload
    def send_to_queue(
        self,
        message_type: Literal["file-download-request"],
        payload: FileDownloadRequestMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R: ...

    @overload
    def send_to_queue(
        self,
        message_type: Literal["file-vectorize-completed"],
        payload: FileVectorizeCompletedMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R: ...

    @overload
    def send_to_queue(
        self,
        message_type: Literal["file-vectorize-request"],
        payload: FileVectorizeRequestMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R: ...

    @overload
    def send_to_queue(
        self,
        message_type: Literal["ip-check-completed"],
        payload: IpCheckCompletedMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R: ...

    @overload
    def send_to_queue(
        self,
        message_type: Literal["ip-check-request"],
        payload: IpCheckRequestMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R: ...

    @overload
    def send_to_queue(
        self,
        message_type: Literal["marketplace-analytics-sync-completed"],
        payload: MarketplaceAnalyticsSyncCompletedMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R: ...

    @overload
    def send_to_queue(
        self,
        message_type: Literal["marketplace-analytics-sync-request"],
        payload: MarketplaceAnalyticsSyncRequestMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R: ...

    @overload
    def send_to_queue(
        self,
        message_type: Literal["marketplace-connection-sync-completed"],
        payload: MarketplaceConnectionSyncCompletedMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R: ...

    @overload
    def send_to_queue(
        self,
        message_type: Literal["marketplace-connection-sync-request"],
        payload: MarketplaceConnectionSyncRequestMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R: ...

    @overload
    def send_to_queue(
        self,
        message_type: Literal["marketplace-credential-rotation-completed"],
        payload: MarketplaceCredentialRotationCompletedMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R: ...

    @overload
    def send_to_queue(
        self,
        message_type: Literal["marketplace-credential-rotation-request"],
        payload: MarketplaceCredentialRotationRequestMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R: ...

    @overload
    def send_to_queue(
        self,
        message_type: Literal["marketplace-intelligence-completed"],
        payload: MarketplaceIntelligenceCompletedMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R: ...

    @overload
    def send_to_queue(
        self,
        message_type: Literal["marketplace-intelligence-event"],
        payload: MarketplaceIntelligenceEventMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R: ...

    @overload
    def send_to_queue(
        self,
        message_type: Literal["marketplace-intelligence-request"],
        payload: MarketplaceIntelligenceRequestMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R: ...

    @overload
    def send_to_queue(
        self,
        message_type: Literal["marketplace-listing-description-generation-completed"],
        payload: MarketplaceListingDescriptionGenerationCompletedMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R: ...

    @overload
    def send_to_queue(
        self,
        message_type: Literal["marketplace-listing-description-generation-request"],
        payload: MarketplaceListingDescriptionGenerationRequestMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R: ...

    @overload
    def send_to_queue(
        self,
        message_type: Literal["marketplace-listing-sync-completed"],
        payload: MarketplaceListingSyncCompletedMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R: ...

    @overload
    def send_to_queue(
        self,
        message_type: Literal["marketplace-listing-sync-request"],
        payload: MarketplaceListingSyncRequestMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R: ...

    @overload
    def send_to_queue(
        self,
        message_type: Literal["marketplace-listing-tags-generation-completed"],
        payload: MarketplaceListingTagsGenerationCompletedMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R: ...

    @overload
    def send_to_queue(
        self,
        message_type: Literal["marketplace-listing-tags-generation-request"],
        payload: MarketplaceListingTagsGenerationRequestMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R: ...

    @overload
    def send_to_queue(
        self,
        message_type: Literal["marketplace-listing-title-generation-completed"],
        payload: MarketplaceListingTitleGenerationCompletedMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R: ...

    @overload
    def send_to_queue(
        self,
        message_type: Literal["marketplace-listing-title-generation-request"],
        payload: MarketplaceListingTitleGenerationRequestMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R: ...

    @overload
    def send_to_queue(
        self,
        message_type: Literal["marketplace-listing-update-completed"],
        payload: MarketplaceListingUpdateCompletedMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R: ...

    @overload
    def send_to_queue(
        self,
        message_type: Literal["marketplace-listing-update-request"],
        payload: MarketplaceListingUpdateRequestMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R: ...

    @overload
    def send_to_queue(
        self,
        message_type: Literal["marketplace-publish-listing-completed"],
        payload: MarketplacePublishListingCompletedMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R: ...

    @overload
    def send_to_queue(
        self,
        message_type: Literal["marketplace-publish-listing-request"],
        payload: MarketplacePublishListingRequestMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R: ...

    @overload
    def send_to_queue(
        self,
        message_type: Literal["media-batch-download-completed"],
        payload: MediaBatchDownloadCompletedMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R: ...

    @overload
    def send_to_queue(
        self,
        message_type: Literal["media-batch-download-request"],
        payload: MediaBatchDownloadRequestMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R: ...

    @overload
    def send_to_queue(
        self,
        message_type: Literal["metamodel-metadata-generation-completed"],
        payload: MetamodelMetadataGenerationCompletedMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R: ...

    @overload
    def send_to_queue(
        self,
        message_type: Literal["metamodel-metadata-generation-request"],
        payload: MetamodelMetadataGenerationRequestMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R: ...

    @overload
    def send_to_queue(
        self,
        message_type: Literal["model-analytics-collection-request"],
        payload: ModelAnalyticsCollectionRequestMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R: ...

    @overload
    def send_to_queue(
        self,
        message_type: Literal["model-discovery-folder-processed-event"],
        payload: ModelDiscoveryFolderProcessedEventMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R: ...

    @overload
    def send_to_queue(
        self,
        message_type: Literal["model-discovery-scan-found-event"],
        payload: ModelDiscoveryScanFoundEventMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R: ...

    @overload
    def send_to_queue(
        self,
        message_type: Literal["model-discovery-scan-progress-event"],
        payload: ModelDiscoveryScanProgressEventMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R: ...

    @overload
    def send_to_queue(
        self,
        message_type: Literal["model-discovery-scan-request"],
        payload: ModelDiscoveryScanRequestMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R: ...

    @overload
    def send_to_queue(
        self,
        message_type: Literal["model-finder-index-request"],
        payload: ModelFinderIndexRequestMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R: ...

    @overload
    def send_to_queue(
        self,
        message_type: Literal["model-finder-response"],
        payload: ModelFinderResponseMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R: ...

    @overload
    def send_to_queue(
        self,
        message_type: Literal["model-finder-search-request"],
        payload: ModelFinderSearchRequestMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R: ...

    @overload
    def send_to_queue(
        self,
        message_type: Literal["model-metadata-generation-completed"],
        payload: ModelMetadataGenerationCompletedMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R: ...

    @overload
    def send_to_queue(
        self,
        message_type: Literal["model-metadata-generation-request"],
        payload: ModelMetadataGenerationRequestMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R: ...

    @overload
    def send_to_queue(
        self,
        message_type: Literal["model-metamodel-detection-found"],
        payload: ModelMetamodelDetectionFoundMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R: ...

    @overload
    def send_to_queue(
        self,
        message_type: Literal["model-metamodel-detection-request"],
        payload: ModelMetamodelDetectionRequestMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R: ...

    @overload
    def send_to_queue(
        self,
        message_type: Literal["model-print-analysis-completed"],
        payload: ModelPrintAnalysisCompletedMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R: ...

    @overload
    def send_to_queue(
        self,
        message_type: Literal["model-print-analysis-request"],
        payload: ModelPrintAnalysisRequestMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R: ...

    @overload
    def send_to_queue(
        self,
        message_type: Literal["model-sellability-analysis-completed"],
        payload: ModelSellabilityAnalysisCompletedMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R: ...

    @overload
    def send_to_queue(
        self,
        message_type: Literal["model-sellability-analysis-request"],
        payload: ModelSellabilityAnalysisRequestMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R: ...

    @overload
    def send_to_queue(
        self,
        message_type: Literal["model-semantic-analysis-completed"],
        payload: ModelSemanticAnalysisCompletedMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R: ...

    @overload
    def send_to_queue(
        self,
        message_type: Literal["model-semantic-analysis-request"],
        payload: ModelSemanticAnalysisRequestMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R: ...

    @overload
    def send_to_queue(
        self,
        message_type: Literal["model-technical-metadata-completed"],
        payload: ModelTechnicalMetadataCompletedMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R: ...

    @overload
    def send_to_queue(
        self,
        message_type: Literal["model-technical-metadata-request"],
        payload: ModelTechnicalMetadataRequestMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R: ...

    @overload
    def send_to_queue(
        self,
        message_type: Literal["slicing-fdm-request"],
        payload: SlicingFdmRequestMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R: ...

    @overload
    def send_to_queue(
        self,
        message_type: Literal["slicing-fdm-result"],
        payload: SlicingFdmResultMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R: ...

    @overload
    def send_to_queue(
        self,
        message_type: Literal["slicing-simulation-request"],
        payload: SlicingSimulationRequestMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R: ...

    @overload
    def send_to_queue(
        self,
        message_type: Literal["slicing-simulation-result"],
        payload: SlicingSimulationResultMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R: ...

    @overload
    def send_to_queue(
        self,
        message_type: Literal["slicing-sla-request"],
        payload: SlicingSlaRequestMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R: ...

    @overload
    def send_to_queue(
        self,
        message_type: Literal["slicing-sla-result"],
        payload: SlicingSlaResultMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R: ...

    @overload
    def send_to_queue(
        self,
        message_type: Literal["thumbnail-generation-completed"],
        payload: ThumbnailGenerationCompletedMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R: ...

    @overload
    def send_to_queue(
        self,
        message_type: Literal["thumbnail-generation-request"],
        payload: ThumbnailGenerationRequestMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R: ...

    @overload
    def send_to_queue(
        self,
        message_type: Literal["user-engagement-event"],
        payload: UserEngagementEventMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R: ...

    @overload
    def send_to_queue(
        self,
        message_type: Literal["worker-analytics-event"],
        payload: WorkerAnalyticsEventMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R: ...

    @overload
    def send_to_queue(
        self,
        message_type: Literal["worker-metrics-enriched-event"],
        payload: WorkerMetricsEnrichedEventMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R: ...

    def send_to_queue(
        self,
        message_type: str,
        payload: Mapping[str, Any],
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R:
        """Enqueue `payload` as a job of `message_type` (see MessageTypes).

        `opts` are BullMQ job options; `opts["jobId"]` is generated when missing and kept
        across retries. `options` override the client's `validate`, `max_retries` and
        `timeout` for this call. Raises PayloadValidationError before anything is sent when
        the payload breaks its schema, and an APIError subclass when the request fails.
        """
        return self._enqueue(message_type, payload, opts, options)

    def analytics_collection_request(
        self,
        data: AnalyticsCollectionRequestMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R:
        """Request to trigger a manual market data collection job. Used for ad-hoc scraping of specific queries on marketplaces."""
        return self._enqueue("analytics-collection-request", data, opts, options)

    def backend_logging_event(
        self,
        data: BackendLoggingEventMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R:
        """Centralized logging event for capturing all warn/error/failure logs from meshsync-backend.
        This event is sent to ELK for centralized monitoring, alerting, and debugging.

        Automatically emitted by the custom Pino logger interceptor when:
        - logger.warn() is called
        - logger.error() is called
        - uncaught exceptions occur
        - request failures happen (4xx, 5xx responses)

        Used for:
        - System health monitoring
        - Error tracking and alerting
        - Performance degradation detection
        - Security incident tracking
        - Compliance and audit trails
        """
        return self._enqueue("backend-logging-event", data, opts, options)

    def ekg_edge_batch_create_completed(
        self,
        data: EkgEdgeBatchCreateCompletedMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R:
        """Completion event for EKG edge batch creation with propagation results."""
        return self._enqueue("ekg-edge-batch-create-completed", data, opts, options)

    def ekg_edge_batch_create_request(
        self,
        data: EkgEdgeBatchCreateRequestMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R:
        """Create multiple EKG edges with Dempster-Shafer mass functions. Triggered by metamodel detection completion."""
        return self._enqueue("ekg-edge-batch-create-request", data, opts, options)

    def etsy_analytics_sync_completed(
        self,
        data: EtsyAnalyticsSyncCompletedMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R:
        """Contains synced analytics data for Etsy listings. Backend stores this in etsy_analytics_snapshots table and indexes to ELK."""
        return self._enqueue("etsy-analytics-sync-completed", data, opts, options)

    def etsy_analytics_sync_request(
        self,
        data: EtsyAnalyticsSyncRequestMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R:
        """Syncs analytics data from Etsy API for one or more listings. Fetches views, favorites, sales, revenue, and traffic source data.
        Can sync: - Specific listings (provide listingIds) - All user listings (provide userId, empty listingIds) - Shop-level analytics (provide shopId)
        """
        return self._enqueue("etsy-analytics-sync-request", data, opts, options)

    def etsy_publish_listing_completed(
        self,
        data: EtsyPublishListingCompletedMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R:
        """Indicates completion of Etsy listing publication. Contains external Etsy listing ID and URL, or error details if failed."""
        return self._enqueue("etsy-publish-listing-completed", data, opts, options)

    def etsy_publish_listing_request(
        self,
        data: EtsyPublishListingRequestMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R:
        """Publishes a single metamodel listing to Etsy for a specific material variant. Creates Etsy listing, uploads digital file, and returns external listing ID.
        This message is enqueued for EACH material variant when publishing a metamodel.
        Example: Publishing a metamodel with PLA, Resin, ABS materials creates 3 jobs.
        """
        return self._enqueue("etsy-publish-listing-request", data, opts, options)

    def file_download_completed(
        self,
        data: FileDownloadCompletedMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R:
        """Notifies that a file download has been processed, indicating success or failure."""
        return self._enqueue("file-download-completed", data, opts, options)

    def file_download_request(
        self,
        data: FileDownloadRequestMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R:
        """Downloads model file from storage provider to MinIO for processing pipeline.
        Acts as parent job for thumbnail generation, technical metadata analysis, and metadata generation.

        Retry Configuration:
        - Automatic retry enabled for transient failures (connection errors, timeouts)
        - Default: 5 attempts with exponential backoff (2s, 4s, 8s, 16s, 32s)
        - Retry on: STORAGE_TIMEOUT, NETWORK_ERROR, MINIO_UNAVAILABLE, CONNECTION_REFUSED
        - No retry on: INVALID_CREDENTIALS, FILE_NOT_FOUND, PERMISSION_DENIED
        """
        return self._enqueue("file-download-request", data, opts, options)

    def file_vectorize_completed(
        self,
        data: FileVectorizeCompletedMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R:
        """Result of the vectorization process containing the embedding vector."""
        return self._enqueue("file-vectorize-completed", data, opts, options)

    def file_vectorize_request(
        self,
        data: FileVectorizeRequestMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R:
        """Request to generate a vector embedding for an image file using CLIP."""
        return self._enqueue("file-vectorize-request", data, opts, options)

    def ip_check_completed(
        self,
        data: IpCheckCompletedMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R:
        """Contains IP verification results including trademark risk, copyright risk, detected brands/franchises, and analysis confidence scores"""
        return self._enqueue("ip-check-completed", data, opts, options)

    def ip_check_request(
        self,
        data: IpCheckRequestMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R:
        """Triggers intellectual property verification analysis for a model thumbnail, detecting potential trademark and copyright issues using perceptual hashing, text analysis, and optional reverse image search."""
        return self._enqueue("ip-check-request", data, opts, options)

    def marketplace_analytics_sync_completed(
        self,
        data: MarketplaceAnalyticsSyncCompletedMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R:
        """Contains synced analytics data for marketplace listings. Backend stores this in marketplace_analytics_snapshots table and indexes to ELK. Works with any marketplace provider."""
        return self._enqueue("marketplace-analytics-sync-completed", data, opts, options)

    def marketplace_analytics_sync_request(
        self,
        data: MarketplaceAnalyticsSyncRequestMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R:
        """Syncs analytics data from marketplace API for one or more listings. Fetches views, favorites, sales, revenue, and traffic source data. Can sync: specific listings, all user listings, or shop-level analytics. Works with any marketplace provider that supports analytics (etsy, ebay, etc.)."""
        return self._enqueue("marketplace-analytics-sync-request", data, opts, options)

    def marketplace_connection_sync_completed(
        self,
        data: MarketplaceConnectionSyncCompletedMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R:
        """Notification that marketplace connection sync has completed. Contains updated connection metadata, profile information, and sync statistics."""
        return self._enqueue("marketplace-connection-sync-completed", data, opts, options)

    def marketplace_connection_sync_request(
        self,
        data: MarketplaceConnectionSyncRequestMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R:
        """Requests synchronization of marketplace connection data including: - Profile information and shop details - Account status and permissions - Available categories and shipping profiles - Rate limits and API quotas
        This is typically triggered after initial connection or periodically to keep marketplace metadata up to date.
        """
        return self._enqueue("marketplace-connection-sync-request", data, opts, options)

    def marketplace_credential_rotation_completed(
        self,
        data: MarketplaceCredentialRotationCompletedMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R:
        """Notification that marketplace credential rotation has completed. Contains the rotation results, new credential metadata, and any issues encountered."""
        return self._enqueue("marketplace-credential-rotation-completed", data, opts, options)

    def marketplace_credential_rotation_request(
        self,
        data: MarketplaceCredentialRotationRequestMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R:
        """Requests rotation/refresh of marketplace connection credentials. This is used for: - OAuth token refresh when tokens are near expiry - API key rotation for enhanced security - Re-authentication after connection errors - Scheduled credential updates"""
        return self._enqueue("marketplace-credential-rotation-request", data, opts, options)

    def marketplace_intelligence_completed(
        self,
        data: MarketplaceIntelligenceCompletedMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R:
        """Response from marketplace intelligence scraping.
        Contains aggregated similarity data from marketplace searches.

        Consumed by worker-backend to update pipeline context before
        sellability analysis runs.
        """
        return self._enqueue("marketplace-intelligence-completed", data, opts, options)

    def marketplace_intelligence_event(
        self,
        data: MarketplaceIntelligenceEventMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R:
        """Public marketplace intelligence data scraped from external marketplaces.
        This event contains:
        - Listing details (title, price, images)
        - Engagement metrics (views, favorites, reviews)
        - Shop information
        - Market positioning data
        Unlike marketplace-listing-sync-request (private user data), this focuses on:
        - Broad market trends and pricing analysis
        - Competitive intelligence and demand signals
        - Product popularity and sentiment
        Consumed by worker-analytic-collector for Elasticsearch indexing. Used for market research, pricing optimization, and trend detection.
        """
        return self._enqueue("marketplace-intelligence-event", data, opts, options)

    def marketplace_intelligence_request(
        self,
        data: MarketplaceIntelligenceRequestMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R:
        """Triggers automated marketplace scraping to find similar/competing listings
        for a given model. This is a pipeline stage that runs after metadata generation
        to inform sellability analysis with real market data.

        The worker-analytic-collector (or marketplace-connectors worker) will:
        1. Use model metadata (title, tags, category) to build search queries
        2. Scrape connected marketplaces (Etsy, eBay, etc.) for similar listings
        3. Emit marketplace-intelligence-event results for Elasticsearch indexing
        4. Return aggregated similarity data to the pipeline context

        Pipeline integration:
        - Triggered after: metadata-generation (needs model title/tags/category)
        - Results feed into: sellability-analysis (market positioning data)
        """
        return self._enqueue("marketplace-intelligence-request", data, opts, options)

    def marketplace_listing_description_generation_completed(
        self,
        data: MarketplaceListingDescriptionGenerationCompletedMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R:
        """Notifies backend that marketplace description generation completed. Contains generated description with metadata tracking (AI model, confidence, generation timestamp) and suggested price."""
        return self._enqueue(
            "marketplace-listing-description-generation-completed", data, opts, options
        )

    def marketplace_listing_description_generation_request(
        self,
        data: MarketplaceListingDescriptionGenerationRequestMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R:
        """Generates SEO-optimized marketplace description for a 3D model using LLM vision analysis. Worker receives model data, technical metadata, and thumbnail URLs to generate compelling product descriptions tailored to the target marketplace."""
        return self._enqueue(
            "marketplace-listing-description-generation-request", data, opts, options
        )

    def marketplace_listing_sync_completed(
        self,
        data: MarketplaceListingSyncCompletedMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R:
        """Notification that marketplace listing sync operation has completed. Contains detailed results of the sync including created/updated listings, errors encountered, and performance statistics."""
        return self._enqueue("marketplace-listing-sync-completed", data, opts, options)

    def marketplace_listing_sync_request(
        self,
        data: MarketplaceListingSyncRequestMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R:
        """Requests synchronization of marketplace listings for a connection. Can sync specific listings or all listings for a marketplace connection.
        Includes bidirectional sync: - Pull: Fetch listings from marketplace to update local database - Push: Update marketplace listings with local changes - Full: Both pull and push operations
        """
        return self._enqueue("marketplace-listing-sync-request", data, opts, options)

    def marketplace_listing_tags_generation_completed(
        self,
        data: MarketplaceListingTagsGenerationCompletedMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R:
        """Notifies backend that marketplace tags generation completed. Contains generated tags optimized for discoverability with metadata tracking."""
        return self._enqueue("marketplace-listing-tags-generation-completed", data, opts, options)

    def marketplace_listing_tags_generation_request(
        self,
        data: MarketplaceListingTagsGenerationRequestMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R:
        """Generates searchability tags for a 3D model optimized for marketplace discoverability. Worker creates style, technical, and usage keywords following marketplace tag limits and SEO best practices."""
        return self._enqueue("marketplace-listing-tags-generation-request", data, opts, options)

    def marketplace_listing_title_generation_completed(
        self,
        data: MarketplaceListingTitleGenerationCompletedMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R:
        """Notifies backend that marketplace title generation completed. Contains generated title with metadata tracking."""
        return self._enqueue("marketplace-listing-title-generation-completed", data, opts, options)

    def marketplace_listing_title_generation_request(
        self,
        data: MarketplaceListingTitleGenerationRequestMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R:
        """Generates marketplace-optimized title for a 3D model. Worker creates concise, SEO-friendly titles following marketplace character limits and best practices."""
        return self._enqueue("marketplace-listing-title-generation-request", data, opts, options)

    def marketplace_listing_update_completed(
        self,
        data: MarketplaceListingUpdateCompletedMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R:
        """Result of a listing update operation"""
        return self._enqueue("marketplace-listing-update-completed", data, opts, options)

    def marketplace_listing_update_request(
        self,
        data: MarketplaceListingUpdateRequestMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R:
        """Request to update an existing listing on a marketplace (price, quantity, etc.)"""
        return self._enqueue("marketplace-listing-update-request", data, opts, options)

    def marketplace_publish_listing_completed(
        self,
        data: MarketplacePublishListingCompletedMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R:
        """Indicates completion of marketplace listing publication. Contains external listing ID and URL, or error details if failed. Works with any marketplace provider (etsy, ebay, etc.)."""
        return self._enqueue("marketplace-publish-listing-completed", data, opts, options)

    def marketplace_publish_listing_request(
        self,
        data: MarketplacePublishListingRequestMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R:
        """Publishes a single metamodel listing to a marketplace for a specific material variant. Creates listing, uploads digital file, and returns external listing ID. This message is enqueued for EACH material variant when publishing a metamodel. The marketplace type (etsy, ebay, etc.) is determined by the marketplaceProvider field."""
        return self._enqueue("marketplace-publish-listing-request", data, opts, options)

    def media_batch_download_completed(
        self,
        data: MediaBatchDownloadCompletedMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R:
        """Notifies that a batch media download has been completed."""
        return self._enqueue("media-batch-download-completed", data, opts, options)

    def media_batch_download_request(
        self,
        data: MediaBatchDownloadRequestMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R:
        """Request to download and process a batch of media files from a storage provider. Images are compressed and resized to specified dimensions, converted to WebP format. Text files and documents are processed and stored with metadata. All processed files are uploaded to MinIO S3 storage under the media/{batchId}/ prefix."""
        return self._enqueue("media-batch-download-request", data, opts, options)

    def metamodel_metadata_generation_completed(
        self,
        data: MetamodelMetadataGenerationCompletedMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R:
        """Handles metamodel metadata generation completion. Contains AI-generated metadata and aggregated technical analysis."""
        return self._enqueue("metamodel-metadata-generation-completed", data, opts, options)

    def metamodel_metadata_generation_request(
        self,
        data: MetamodelMetadataGenerationRequestMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R:
        """Handles metamodel metadata generation requests via Ollama. Aggregates data from constituent models and generates AI-enhanced metadata."""
        return self._enqueue("metamodel-metadata-generation-request", data, opts, options)

    def model_analytics_collection_request(
        self,
        data: ModelAnalyticsCollectionRequestMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R:
        """Request to collect marketplace analytics for a specific metamodel.
        Triggered by backend scheduler every 6 hours for popular/tagged metamodels.

        Worker performs targeted market searches based on metamodel metadata
        and stores aggregated statistics in Elasticsearch for trend analysis.
        """
        return self._enqueue("model-analytics-collection-request", data, opts, options)

    def model_discovery_folder_processed_event(
        self,
        data: ModelDiscoveryFolderProcessedEventMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R:
        """Handles model discovery folder processed events."""
        return self._enqueue("model-discovery-folder-processed-event", data, opts, options)

    def model_discovery_scan_found_event(
        self,
        data: ModelDiscoveryScanFoundEventMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R:
        """Handles model discovery scan found events."""
        return self._enqueue("model-discovery-scan-found-event", data, opts, options)

    def model_discovery_scan_progress_event(
        self,
        data: ModelDiscoveryScanProgressEventMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R:
        """Handles model discovery scan progress events."""
        return self._enqueue("model-discovery-scan-progress-event", data, opts, options)

    def model_discovery_scan_request(
        self,
        data: ModelDiscoveryScanRequestMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R:
        """Handles model discovery scan requests events."""
        return self._enqueue("model-discovery-scan-request", data, opts, options)

    def model_finder_index_request(
        self,
        data: ModelFinderIndexRequestMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R:
        """Request to index a 3D model for similarity search."""
        return self._enqueue("model-finder-index-request", data, opts, options)

    def model_finder_response(
        self,
        data: ModelFinderResponseMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R:
        """Response containing search results from the model finder."""
        return self._enqueue("model-finder-response", data, opts, options)

    def model_finder_search_request(
        self,
        data: ModelFinderSearchRequestMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R:
        """Request to search for similar 3D models."""
        return self._enqueue("model-finder-search-request", data, opts, options)

    def model_metadata_generation_completed(
        self,
        data: ModelMetadataGenerationCompletedMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R:
        """Notifies backend that enriched marketplace metadata generation completed. Backend updates Model entity with generated description, tags, classification, etc."""
        return self._enqueue("model-metadata-generation-completed", data, opts, options)

    def model_metadata_generation_request(
        self,
        data: ModelMetadataGenerationRequestMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R:
        """Generates enriched marketplace metadata (SEO descriptions, tags, categories) for 3D models using LLM vision analysis. Worker receives all necessary data in the payload (Model, TechnicalMetadata, Thumbnails) and does NOT query the database. Prerequisites: file download, technical metadata, and thumbnail generation must be complete before this message is sent."""
        return self._enqueue("model-metadata-generation-request", data, opts, options)

    def model_metamodel_detection_found(
        self,
        data: ModelMetamodelDetectionFoundMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R:
        """Handles model metamodel detection found with hierarchical relationships."""
        return self._enqueue("model-metamodel-detection-found", data, opts, options)

    def model_metamodel_detection_request(
        self,
        data: ModelMetamodelDetectionRequestMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R:
        """Handles model metamodel detection requests."""
        return self._enqueue("model-metamodel-detection-request", data, opts, options)

    def model_print_analysis_completed(
        self,
        data: ModelPrintAnalysisCompletedMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R:
        """Reports completion of 3D print analysis — contains estimation, printability, and cost breakdown per FR-022"""
        return self._enqueue("model-print-analysis-completed", data, opts, options)

    def model_print_analysis_request(
        self,
        data: ModelPrintAnalysisRequestMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R:
        """Triggers 3D print analysis for a model — estimates print time, material usage, support needs, and cost breakdown per FR-022"""
        return self._enqueue("model-print-analysis-request", data, opts, options)

    def model_sellability_analysis_completed(
        self,
        data: ModelSellabilityAnalysisCompletedMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R:
        """Contains sellability analysis results including Etsy-specific recommendations, material pricing, and marketplace compatibility scores"""
        return self._enqueue("model-sellability-analysis-completed", data, opts, options)

    def model_sellability_analysis_request(
        self,
        data: ModelSellabilityAnalysisRequestMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R:
        """Analyzes a metamodel to determine sellability score, pricing recommendations, and optimal marketplace selection. Enhanced with Etsy-specific analysis including competitor pricing, category demand trends, and material suitability."""
        return self._enqueue("model-sellability-analysis-request", data, opts, options)

    def model_semantic_analysis_completed(
        self,
        data: ModelSemanticAnalysisCompletedMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R:
        """Handles completion of 3D model semantic analysis with generated tags and similarity results."""
        return self._enqueue("model-semantic-analysis-completed", data, opts, options)

    def model_semantic_analysis_request(
        self,
        data: ModelSemanticAnalysisRequestMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R:
        """Handles 3D model semantic analysis requests using ULIP-2 neural networks and FAISS vector similarity search."""
        return self._enqueue("model-semantic-analysis-request", data, opts, options)

    def model_technical_metadata_completed(
        self,
        data: ModelTechnicalMetadataCompletedMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R:
        """Reports comprehensive results of technical metadata analysis including geometry, quality metrics, and print-readiness assessment"""
        return self._enqueue("model-technical-metadata-completed", data, opts, options)

    def model_technical_metadata_request(
        self,
        data: ModelTechnicalMetadataRequestMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R:
        """Triggers comprehensive technical analysis of a 3D model file to extract geometry, quality metrics, and print-readiness information"""
        return self._enqueue("model-technical-metadata-request", data, opts, options)

    def slicing_fdm_request(
        self,
        data: SlicingFdmRequestMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R:
        """Request FDM slicing simulation via OrcaSlicer (preferred) or heuristic fallback. Accepts OrcaSlicer-compatible printer/process/filament JSON profiles."""
        return self._enqueue("slicing-fdm-request", data, opts, options)

    def slicing_fdm_result(
        self,
        data: SlicingFdmResultMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R:
        """Result of FDM slicing simulation from OrcaSlicer (toolpath) or heuristic fallback. Contains exact physical metrics for cost calculation."""
        return self._enqueue("slicing-fdm-result", data, opts, options)

    def slicing_simulation_request(
        self,
        data: SlicingSimulationRequestMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R:
        """DEPRECATED: Use slicing-fdm-request or slicing-sla-request instead. Unified contract kept for backward compatibility only."""
        return self._enqueue("slicing-simulation-request", data, opts, options)

    def slicing_simulation_result(
        self,
        data: SlicingSimulationResultMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R:
        """DEPRECATED: Use slicing-fdm-result or slicing-sla-result instead. Unified contract kept for backward compatibility only."""
        return self._enqueue("slicing-simulation-result", data, opts, options)

    def slicing_sla_request(
        self,
        data: SlicingSlaRequestMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R:
        """Request SLA/MSLA slicing simulation via PySLM cross-sectional analysis. Accepts resin printer profile with exposure, lift, and layer parameters."""
        return self._enqueue("slicing-sla-request", data, opts, options)

    def slicing_sla_result(
        self,
        data: SlicingSlaResultMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R:
        """Result of SLA/MSLA slicing simulation from PySLM cross-sectional analysis. Contains exact resin usage and print time metrics."""
        return self._enqueue("slicing-sla-result", data, opts, options)

    def thumbnail_generation_completed(
        self,
        data: ThumbnailGenerationCompletedMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R:
        """Handles thumbnail generation completed."""
        return self._enqueue("thumbnail-generation-completed", data, opts, options)

    def thumbnail_generation_request(
        self,
        data: ThumbnailGenerationRequestMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R:
        """Handles thumbnail generation requests with customization options. Supports both storage provider downloads and MinIO-cached files."""
        return self._enqueue("thumbnail-generation-request", data, opts, options)

    def user_engagement_event(
        self,
        data: UserEngagementEventMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R:
        """User engagement and onboarding tracking events for analytics and behavioral insights.

        Captures key user actions throughout their journey:
        - Account creation and onboarding steps
        - Feature usage and adoption
        - Model management activities
        - Marketplace interactions
        - Subscription changes

        Used for:
        - User onboarding funnel analysis
        - Feature adoption tracking
        - User retention metrics
        - A/B testing and experimentation
        - Personalization and recommendations
        - Product analytics dashboards
        """
        return self._enqueue("user-engagement-event", data, opts, options)

    def worker_analytics_event(
        self,
        data: WorkerAnalyticsEventMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R:
        """Analytics event emitted by workers for tracking processing metrics, user behavior,
        and model statistics. Consumed by worker-analytic-collector and forwarded to ELK.

        All workers MUST emit this event upon job completion (success or failure).
        Each worker includes its specific metrics in the `metrics` object.
        """
        return self._enqueue("worker-analytics-event", data, opts, options)

    def worker_metrics_enriched_event(
        self,
        data: WorkerMetricsEnrichedEventMessage,
        opts: JobOptions | None = None,
        **options: Unpack[RequestOptions],
    ) -> R:
        """Enriched metrics event for detailed worker monitoring, cost tracking,
        and performance analysis. Published to backend.logging.events for
        centralized monitoring and cost attribution.

        This event is emitted by all workers on job completion and includes:
        - LLM token usage and cost breakdown
        - System resource consumption (CPU, RAM, disk I/O)
        - Detailed timing breakdown by stage
        - User and context attribution
        - Model-specific metadata
        """
        return self._enqueue("worker-metrics-enriched-event", data, opts, options)
